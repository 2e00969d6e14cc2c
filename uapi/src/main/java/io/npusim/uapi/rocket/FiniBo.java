package io.npusim.uapi.rocket;

import io.npusim.uapi.codec.CStruct;
import io.npusim.uapi.codec.Codec;
import io.npusim.uapi.codec.IoctlNumber;

/**
 * {@code struct drm_rocket_fini_bo} for
 * {@code DRM_IOCTL_ROCKET_FINI_BO = DRM_IOW(DRM_COMMAND_BASE + 0x03, ...)}
 * (include/uapi/drm/rocket_accel.h): end CPU access (cache sync for the device, no wait).
 *
 * <pre>
 * struct drm_rocket_fini_bo {  // 8 bytes
 *     __u32 handle;            // 0
 *     __u32 reserved;          // 4  must be 0 (-EINVAL otherwise)
 * };
 * </pre>
 */
public record FiniBo(int handle, int reserved) implements RocketIoctl {
    public static final int SIZE = 8;
    /** 0x40086443. */
    public static final long REQUEST =
            IoctlNumber.drmIow(IoctlNumber.DRM_COMMAND_BASE + DRM_ROCKET_FINI_BO, SIZE);

    public static final Codec<FiniBo> CODEC = CStruct.codec("drm_rocket_fini_bo", SIZE,
            (v, w) -> w.u32(0, v.handle).u32(4, v.reserved),
            r -> new FiniBo(r.u32(0), r.u32(4)));

    public static FiniBo of(int handle) {
        return new FiniBo(handle, 0);
    }

    @Override
    public String name() {
        return "DRM_IOCTL_ROCKET_FINI_BO";
    }

    @Override
    public long request() {
        return REQUEST;
    }
}
