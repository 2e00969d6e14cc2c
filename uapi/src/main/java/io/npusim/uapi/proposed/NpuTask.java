package io.npusim.uapi.proposed;

import io.npusim.uapi.codec.CStruct;
import io.npusim.uapi.codec.Codec;

/**
 * {@code struct drm_npu_task}: one task's register commands. Tasks of one part are chained by
 * their tails (as Mesa lays them out), so the driver can start a batch of n with TASK_NUMBER(n).
 *
 * <pre>
 * struct drm_npu_task {  // 8 bytes
 *     __u32 regcmd;      // 0 NPU address of the task's register commands
 *     __u32 regcmd_count;// 4 64-bit entries
 * };
 * </pre>
 */
public record NpuTask(long regcmd, int regcmdCount) {
    public static final int SIZE = 8;
    public static final Codec<NpuTask> CODEC = CStruct.codec("drm_npu_task", SIZE,
            (v, w) -> w.u32Unsigned(0, "regcmd", v.regcmd).u32(4, v.regcmdCount),
            r -> new NpuTask(r.u32AsLong(0), r.u32(4)));

    public NpuTask {
        CStruct.checkU32("drm_npu_task.regcmd", regcmd);
    }
}
