package io.npusim.uapi.drm;

import io.npusim.uapi.codec.CStruct;
import io.npusim.uapi.codec.Codec;
import io.npusim.uapi.codec.IoctlNumber;

/**
 * {@code struct drm_gem_close} for {@code DRM_IOCTL_GEM_CLOSE = DRM_IOW(0x09, ...)}
 * (include/uapi/drm/drm.h): drops one GEM handle of the calling file.
 *
 * <pre>
 * struct drm_gem_close {  // 8 bytes
 *     __u32 handle;       // 0
 *     __u32 pad;          // 4
 * };
 * </pre>
 *
 * @param handle GEM handle to release (raw __u32 bits)
 * @param pad    padding; drm_gem_close_ioctl does not check it
 */
public record GemClose(int handle, int pad) implements DrmIoctl {
    public static final int NR = 0x09;
    public static final int SIZE = 8;
    /** 0x40086409. */
    public static final long REQUEST = IoctlNumber.drmIow(NR, SIZE);

    public static final Codec<GemClose> CODEC = CStruct.codec("drm_gem_close", SIZE,
            (v, w) -> w.u32(0, v.handle).u32(4, v.pad),
            r -> new GemClose(r.u32(0), r.u32(4)));

    public static GemClose of(int handle) {
        return new GemClose(handle, 0);
    }

    @Override
    public String name() {
        return "DRM_IOCTL_GEM_CLOSE";
    }

    @Override
    public long request() {
        return REQUEST;
    }
}
