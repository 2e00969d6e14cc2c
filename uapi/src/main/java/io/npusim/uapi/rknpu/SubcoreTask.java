package io.npusim.uapi.rknpu;

import io.npusim.uapi.codec.CStruct;
import io.npusim.uapi.codec.Codec;

/**
 * {@code struct rknpu_subcore_task} (rknpu_ioctl.h): the slice of the task array one core runs.
 * On RK3588 (three NPU IRQs) rknpu_job.c indexes {@code subcore_task[i]} for one- and two-core
 * masks and {@code subcore_task[i + 2]} for the three-core mask.
 *
 * <pre>
 * struct rknpu_subcore_task {  // 8 bytes
 *     __u32 task_start;        // 0
 *     __u32 task_number;       // 4
 * };
 * </pre>
 */
public record SubcoreTask(int taskStart, int taskNumber) {
    public static final int SIZE = 8;
    public static final SubcoreTask NONE = new SubcoreTask(0, 0);

    public static final Codec<SubcoreTask> CODEC = CStruct.codec("rknpu_subcore_task", SIZE,
            (v, w) -> w.u32(0, v.taskStart).u32(4, v.taskNumber),
            r -> new SubcoreTask(r.u32(0), r.u32(4)));
}
