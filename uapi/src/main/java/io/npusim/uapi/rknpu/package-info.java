/**
 * UAPI of the vendor {@code rknpu} driver 0.9.8 (Rockchip, DRIVER_DATE 20240828;
 * {@code include/rknpu_ioctl.h} as packaged in bmilde/rknpu-driver-dkms {@code rknpu-0.9.8/}):
 * ACTION, SUBMIT, MEM_CREATE, MEM_MAP, MEM_DESTROY, MEM_SYNC in the DRM flavour
 * ({@code DRM_IOWR(DRM_COMMAND_BASE + nr, struct)}, the default {@code CONFIG_ROCKCHIP_RKNPU_DRM_GEM}
 * build), the task descriptor {@link io.npusim.uapi.rknpu.RknpuTask} that lives in a task BO,
 * their flag and code values, and the NPU interrupt bit map shared with rocket.
 *
 * <p>Integer convention: every {@code __u32}/{@code __s32} is an {@code int} holding the raw 32
 * bits (read a {@code __u32} unsigned with {@link Integer#toUnsignedLong}); every
 * {@code __u64}/{@code __s64} is a {@code long}. {@code obj_addr}/{@code task_obj_addr} are kernel
 * pointers handed out by MEM_CREATE and passed back verbatim: opaque tokens to userspace.
 */
package io.npusim.uapi.rknpu;
