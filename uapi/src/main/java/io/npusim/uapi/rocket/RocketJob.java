package io.npusim.uapi.rocket;

import io.npusim.uapi.codec.CStruct;
import io.npusim.uapi.codec.Codec;
import io.npusim.uapi.codec.UserArray;
import java.util.Objects;

/**
 * {@code struct drm_rocket_job} (include/uapi/drm/rocket_accel.h): tasks run in order on one
 * core, plus the BOs the job reads and writes (its implicit dependencies). Not an ioctl: an
 * element of the array a {@link Submit} points to.
 *
 * <pre>
 * struct drm_rocket_job {           // 40 bytes
 *     __u64 tasks;                  // 0  user ptr to drm_rocket_task[]
 *     __u64 in_bo_handles;          // 8  user ptr to __u32[]
 *     __u64 out_bo_handles;         // 16 user ptr to __u32[]
 *     __u32 task_count;             // 24
 *     __u32 task_struct_size;       // 28 stride of tasks[], >= 8
 *     __u32 in_bo_handle_count;     // 32
 *     __u32 out_bo_handle_count;    // 36
 * };
 * </pre>
 *
 * The counts are separate from the arrays on purpose: userspace may state a count that does not
 * match what it placed in memory, and the kernel model must see both.
 */
public record RocketJob(
        UserArray<RocketTask> tasks,
        UserArray<Integer> inBoHandles,
        UserArray<Integer> outBoHandles,
        int taskCount,
        int taskStructSize,
        int inBoHandleCount,
        int outBoHandleCount) {
    /** {@code sizeof(struct drm_rocket_job)}: the minimum {@code job_struct_size}. */
    public static final int SIZE = 40;

    public static final Codec<RocketJob> CODEC = CStruct.codec("drm_rocket_job", SIZE,
            (v, w) -> w.u64(0, v.tasks.address()).u64(8, v.inBoHandles.address())
                    .u64(16, v.outBoHandles.address()).u32(24, v.taskCount)
                    .u32(28, v.taskStructSize).u32(32, v.inBoHandleCount)
                    .u32(36, v.outBoHandleCount),
            r -> new RocketJob(UserArray.pointer(r.u64(0)), UserArray.pointer(r.u64(8)),
                    UserArray.pointer(r.u64(16)), r.u32(24), r.u32(28), r.u32(32), r.u32(36)));

    public RocketJob {
        Objects.requireNonNull(tasks, "tasks");
        Objects.requireNonNull(inBoHandles, "inBoHandles");
        Objects.requireNonNull(outBoHandles, "outBoHandles");
    }

    /** A well-formed job: counts from the arrays, task stride {@link RocketTask#SIZE}. */
    public static RocketJob of(UserArray<RocketTask> tasks, UserArray<Integer> inBoHandles,
            UserArray<Integer> outBoHandles) {
        return new RocketJob(tasks, inBoHandles, outBoHandles, tasks.items().size(),
                RocketTask.SIZE, inBoHandles.items().size(), outBoHandles.items().size());
    }

    /** The job as its bytes carry it: pointers only (what {@link #CODEC} decodes to). */
    public RocketJob pointersOnly() {
        return new RocketJob(tasks.pointerOnly(), inBoHandles.pointerOnly(),
                outBoHandles.pointerOnly(), taskCount, taskStructSize, inBoHandleCount,
                outBoHandleCount);
    }
}
