package io.npusim.uapi.rknpu;

import io.npusim.uapi.codec.CStruct;
import io.npusim.uapi.codec.Codec;

/**
 * {@code struct rknpu_task} (rknpu_ioctl.h, {@code __packed}): one entry of the task array in a
 * task BO (the BO a submit's {@code task_obj_addr} names). Not an ioctl. The 0.9.8 kernel reads
 * only {@code regcmd_addr}, {@code regcfg_amount}, {@code int_mask} (first and last task) and
 * writes {@code int_status} of the last task; the other fields are runtime bookkeeping.
 *
 * <pre>
 * struct rknpu_task {        // 40 bytes, packed (no padding either way)
 *     __u32 flags;           // 0
 *     __u32 op_idx;          // 4
 *     __u32 enable_mask;     // 8
 *     __u32 int_mask;        // 12 NpuIrqBits expected at the end of the task
 *     __u32 int_clear;       // 16
 *     __u32 int_status;      // 20 out (last task of a job)
 *     __u32 regcfg_amount;   // 24 number of 64-bit regcmd entries
 *     __u32 regcfg_offset;   // 28
 *     __u64 regcmd_addr;     // 32 NPU address of the regcmd stream
 * };
 * </pre>
 */
public record RknpuTask(int flags, int opIdx, int enableMask, int intMask, int intClear,
        int intStatus, int regcfgAmount, int regcfgOffset, long regcmdAddr) {
    public static final int SIZE = 40;

    public static final Codec<RknpuTask> CODEC = CStruct.codec("rknpu_task", SIZE,
            (v, w) -> w.u32(0, v.flags).u32(4, v.opIdx).u32(8, v.enableMask).u32(12, v.intMask)
                    .u32(16, v.intClear).u32(20, v.intStatus).u32(24, v.regcfgAmount)
                    .u32(28, v.regcfgOffset).u64(32, v.regcmdAddr),
            r -> new RknpuTask(r.u32(0), r.u32(4), r.u32(8), r.u32(12), r.u32(16), r.u32(20),
                    r.u32(24), r.u32(28), r.u64(32)));

    /** The task as the IRQ path leaves it: {@code int_status} recorded. */
    public RknpuTask withIntStatus(int intStatus) {
        return new RknpuTask(flags, opIdx, enableMask, intMask, intClear, intStatus, regcfgAmount,
                regcfgOffset, regcmdAddr);
    }
}
