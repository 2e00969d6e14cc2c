package io.npusim.uapi.drm;

import io.npusim.uapi.Ioctl;
import io.npusim.uapi.codec.Codec;
import java.util.Map;
import java.util.Optional;

/** Codec lookup by request number for the generic DRM ioctls (trace replay). */
public final class Codecs {
    private static final Map<Long, Codec<? extends Ioctl>> BY_REQUEST =
            Map.of(GemClose.REQUEST, GemClose.CODEC);

    private Codecs() {}

    public static Optional<Codec<? extends Ioctl>> forRequest(long request) {
        return Optional.ofNullable(BY_REQUEST.get(request));
    }

    /** Every request number this family knows. */
    public static Map<Long, Codec<? extends Ioctl>> all() {
        return BY_REQUEST;
    }
}
