package io.npusim.uapi.rocket;

import io.npusim.uapi.codec.CStruct;
import io.npusim.uapi.codec.Codec;

/**
 * {@code struct drm_rocket_task} (include/uapi/drm/rocket_accel.h): one hardware start of the PC
 * block. Not an ioctl: an element of the array a {@link RocketJob} points to.
 *
 * <pre>
 * struct drm_rocket_task {  // 8 bytes
 *     __u32 regcmd;         // 0  NPU DMA address of the regcmd buffer (32-bit IOVA)
 *     __u32 regcmd_count;   // 4  number of 64-bit regcmd entries; 0 gives -EINVAL
 * };
 * </pre>
 *
 * @param regcmd      IOVA of the register-command stream, checked to fit 32 bits
 * @param regcmdCount number of 64-bit register commands (raw __u32 bits)
 */
public record RocketTask(long regcmd, int regcmdCount) {
    /** {@code sizeof(struct drm_rocket_task)}: the minimum {@code task_struct_size}. */
    public static final int SIZE = 8;

    public static final Codec<RocketTask> CODEC = CStruct.codec("drm_rocket_task", SIZE,
            (v, w) -> w.u32Unsigned(0, "regcmd", v.regcmd).u32(4, v.regcmdCount),
            r -> new RocketTask(r.u32AsLong(0), r.u32(4)));

    public RocketTask {
        CStruct.checkU32("drm_rocket_task.regcmd", regcmd);
    }
}
