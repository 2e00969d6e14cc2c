package io.npusim.uapi.proposed;

import io.npusim.uapi.Ioctl;
import io.npusim.uapi.codec.Codec;
import java.util.Map;
import java.util.Optional;

/** Codec lookup by request number for the proposed ioctls (trace replay). */
public final class Codecs {
    private static final Map<Long, Codec<? extends Ioctl>> BY_REQUEST = Map.of(
            CtxCreate.REQUEST, CtxCreate.CODEC,
            CtxDestroy.REQUEST, CtxDestroy.CODEC,
            BoCreate.REQUEST, BoCreate.CODEC,
            BoResident.REQUEST, BoResident.CODEC,
            SramRequest.REQUEST, SramRequest.CODEC,
            NpuSubmit.REQUEST, NpuSubmit.CODEC,
            NpuWait.REQUEST, NpuWait.CODEC,
            CtxQuery.REQUEST, CtxQuery.CODEC);

    private Codecs() {}

    public static Optional<Codec<? extends Ioctl>> forRequest(long request) {
        return Optional.ofNullable(BY_REQUEST.get(request));
    }

    public static Map<Long, Codec<? extends Ioctl>> all() {
        return BY_REQUEST;
    }
}
