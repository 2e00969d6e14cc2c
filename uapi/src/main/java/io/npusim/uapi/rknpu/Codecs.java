package io.npusim.uapi.rknpu;

import io.npusim.uapi.Ioctl;
import io.npusim.uapi.codec.Codec;
import java.util.Map;
import java.util.Optional;

/**
 * Codec lookup by request number for the rknpu ioctls, DRM flavour (trace replay). GEM_CLOSE on
 * an rknpu fd is in {@link io.npusim.uapi.drm.Codecs}.
 */
public final class Codecs {
    private static final Map<Long, Codec<? extends Ioctl>> BY_REQUEST = Map.of(
            Action.REQUEST, Action.CODEC,
            Submit.REQUEST, Submit.CODEC,
            MemCreate.REQUEST, MemCreate.CODEC,
            MemMap.REQUEST, MemMap.CODEC,
            MemDestroy.REQUEST, MemDestroy.CODEC,
            MemSync.REQUEST, MemSync.CODEC);

    private Codecs() {}

    public static Optional<Codec<? extends Ioctl>> forRequest(long request) {
        return Optional.ofNullable(BY_REQUEST.get(request));
    }

    /** Every request number this family knows. */
    public static Map<Long, Codec<? extends Ioctl>> all() {
        return BY_REQUEST;
    }
}
