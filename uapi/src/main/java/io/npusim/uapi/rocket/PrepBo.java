package io.npusim.uapi.rocket;

import io.npusim.uapi.codec.CStruct;
import io.npusim.uapi.codec.Codec;
import io.npusim.uapi.codec.IoctlNumber;

/**
 * {@code struct drm_rocket_prep_bo} for
 * {@code DRM_IOCTL_ROCKET_PREP_BO = DRM_IOW(DRM_COMMAND_BASE + 0x02, ...)}
 * (include/uapi/drm/rocket_accel.h): start CPU access, waiting for the BO's writers.
 *
 * <pre>
 * struct drm_rocket_prep_bo {  // 16 bytes
 *     __u32 handle;            // 0
 *     __u32 reserved;          // 4  must be 0 (-EINVAL otherwise)
 *     __s64 timeout_ns;        // 8
 * };
 * </pre>
 *
 * @param timeoutNs an ABSOLUTE CLOCK_MONOTONIC deadline in ns (rocket_gem.c converts it with
 *                  drm_timeout_abs_to_jiffies), not a duration; 0 means poll
 */
public record PrepBo(int handle, int reserved, long timeoutNs) implements RocketIoctl {
    public static final int SIZE = 16;
    /** 0x40106442. */
    public static final long REQUEST =
            IoctlNumber.drmIow(IoctlNumber.DRM_COMMAND_BASE + DRM_ROCKET_PREP_BO, SIZE);

    public static final Codec<PrepBo> CODEC = CStruct.codec("drm_rocket_prep_bo", SIZE,
            (v, w) -> w.u32(0, v.handle).u32(4, v.reserved).s64(8, v.timeoutNs),
            r -> new PrepBo(r.u32(0), r.u32(4), r.s64(8)));

    public static PrepBo of(int handle, long timeoutNs) {
        return new PrepBo(handle, 0, timeoutNs);
    }

    @Override
    public String name() {
        return "DRM_IOCTL_ROCKET_PREP_BO";
    }

    @Override
    public long request() {
        return REQUEST;
    }
}
