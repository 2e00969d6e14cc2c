package io.npusim.uapi.rocket;

import io.npusim.uapi.Ioctl;
import io.npusim.uapi.codec.Codec;
import java.util.Map;
import java.util.Optional;

/**
 * Codec lookup by request number for the rocket ioctls (trace replay). GEM_CLOSE on a rocket fd
 * is in {@link io.npusim.uapi.drm.Codecs}.
 */
public final class Codecs {
    private static final Map<Long, Codec<? extends Ioctl>> BY_REQUEST = Map.of(
            CreateBo.REQUEST, CreateBo.CODEC,
            Submit.REQUEST, Submit.CODEC,
            PrepBo.REQUEST, PrepBo.CODEC,
            FiniBo.REQUEST, FiniBo.CODEC);

    private Codecs() {}

    public static Optional<Codec<? extends Ioctl>> forRequest(long request) {
        return Optional.ofNullable(BY_REQUEST.get(request));
    }

    /** Every request number this family knows. */
    public static Map<Long, Codec<? extends Ioctl>> all() {
        return BY_REQUEST;
    }
}
