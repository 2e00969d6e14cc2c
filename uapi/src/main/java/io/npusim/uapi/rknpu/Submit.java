package io.npusim.uapi.rknpu;

import io.npusim.uapi.codec.CStruct;
import io.npusim.uapi.codec.Codec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * {@code struct rknpu_submit} (0.9.8 layout) for {@code DRM_IOCTL_RKNPU_SUBMIT}
 * (rknpu_ioctl.h). Offsets checked against the header (reference notes §8).
 *
 * <pre>
 * struct rknpu_submit {                        // 104 bytes
 *     __u32 flags;                             // 0   JobFlags
 *     __u32 timeout;                           // 4   milliseconds
 *     __u32 task_start;                        // 8
 *     __u32 task_number;                       // 12
 *     __u32 task_counter;                      // 16  out
 *     __s32 priority;                          // 20
 *     __u64 task_obj_addr;                     // 24  kernel pointer from MEM_CREATE
 *     __u32 iommu_domain_id;                   // 32  (older headers: __u64 regcfg_obj_addr)
 *     __u32 reserved;                          // 36
 *     __u64 task_base_addr;                    // 40  written to PC_TASK_DMA_BASE_ADDR
 *     __s64 hw_elapse_time;                    // 48  out, ktime_t ns (older: __u64 user_data)
 *     __u32 core_mask;                         // 56  CoreMask
 *     __s32 fence_fd;                          // 60  in with FENCE_IN, out with FENCE_OUT
 *     struct rknpu_subcore_task subcore_task[5]; // 64
 * };
 * </pre>
 *
 * @param subcoreTasks exactly {@value #SUBCORE_TASKS} entries
 */
public record Submit(
        int flags,
        int timeoutMs,
        int taskStart,
        int taskNumber,
        int taskCounter,
        int priority,
        long taskObjAddr,
        int iommuDomainId,
        int reserved,
        long taskBaseAddr,
        long hwElapseTimeNs,
        int coreMask,
        int fenceFd,
        List<SubcoreTask> subcoreTasks) implements RknpuIoctl {
    public static final int SIZE = 104;
    /** Length of {@code subcore_task[]}. */
    public static final int SUBCORE_TASKS = 5;
    /** 0xc0686441. */
    public static final long REQUEST = RknpuIoctl.drmRequest(RKNPU_SUBMIT, SIZE);

    public static final int OFFSET_FLAGS = 0;
    public static final int OFFSET_TIMEOUT = 4;
    public static final int OFFSET_TASK_START = 8;
    public static final int OFFSET_TASK_NUMBER = 12;
    public static final int OFFSET_TASK_COUNTER = 16;
    public static final int OFFSET_PRIORITY = 20;
    public static final int OFFSET_TASK_OBJ_ADDR = 24;
    public static final int OFFSET_IOMMU_DOMAIN_ID = 32;
    public static final int OFFSET_RESERVED = 36;
    public static final int OFFSET_TASK_BASE_ADDR = 40;
    public static final int OFFSET_HW_ELAPSE_TIME = 48;
    public static final int OFFSET_CORE_MASK = 56;
    public static final int OFFSET_FENCE_FD = 60;
    public static final int OFFSET_SUBCORE_TASK = 64;

    public static final Codec<Submit> CODEC = CStruct.codec("rknpu_submit", SIZE,
            (v, w) -> {
                w.u32(OFFSET_FLAGS, v.flags).u32(OFFSET_TIMEOUT, v.timeoutMs)
                        .u32(OFFSET_TASK_START, v.taskStart).u32(OFFSET_TASK_NUMBER, v.taskNumber)
                        .u32(OFFSET_TASK_COUNTER, v.taskCounter).s32(OFFSET_PRIORITY, v.priority)
                        .u64(OFFSET_TASK_OBJ_ADDR, v.taskObjAddr)
                        .u32(OFFSET_IOMMU_DOMAIN_ID, v.iommuDomainId)
                        .u32(OFFSET_RESERVED, v.reserved)
                        .u64(OFFSET_TASK_BASE_ADDR, v.taskBaseAddr)
                        .s64(OFFSET_HW_ELAPSE_TIME, v.hwElapseTimeNs)
                        .u32(OFFSET_CORE_MASK, v.coreMask).s32(OFFSET_FENCE_FD, v.fenceFd);
                for (int i = 0; i < SUBCORE_TASKS; i++) {
                    SubcoreTask t = v.subcoreTasks.get(i);
                    int at = OFFSET_SUBCORE_TASK + i * SubcoreTask.SIZE;
                    w.u32(at, t.taskStart()).u32(at + 4, t.taskNumber());
                }
            },
            r -> {
                List<SubcoreTask> sub = new ArrayList<>(SUBCORE_TASKS);
                for (int i = 0; i < SUBCORE_TASKS; i++) {
                    int at = OFFSET_SUBCORE_TASK + i * SubcoreTask.SIZE;
                    sub.add(new SubcoreTask(r.u32(at), r.u32(at + 4)));
                }
                return new Submit(r.u32(OFFSET_FLAGS), r.u32(OFFSET_TIMEOUT),
                        r.u32(OFFSET_TASK_START), r.u32(OFFSET_TASK_NUMBER),
                        r.u32(OFFSET_TASK_COUNTER), r.s32(OFFSET_PRIORITY),
                        r.u64(OFFSET_TASK_OBJ_ADDR), r.u32(OFFSET_IOMMU_DOMAIN_ID),
                        r.u32(OFFSET_RESERVED), r.u64(OFFSET_TASK_BASE_ADDR),
                        r.s64(OFFSET_HW_ELAPSE_TIME), r.u32(OFFSET_CORE_MASK),
                        r.s32(OFFSET_FENCE_FD), sub);
            });

    public Submit {
        subcoreTasks = List.copyOf(Objects.requireNonNull(subcoreTasks, "subcoreTasks"));
        if (subcoreTasks.size() != SUBCORE_TASKS) {
            throw new IllegalArgumentException("subcore_task[] has " + SUBCORE_TASKS
                    + " entries, got " + subcoreTasks.size());
        }
    }

    /** Five empty {@code subcore_task} entries. */
    public static List<SubcoreTask> noSubcoreTasks() {
        return Collections.nCopies(SUBCORE_TASKS, SubcoreTask.NONE);
    }

    /**
     * A submit as userspace fills it: out-fields ({@code task_counter}, {@code hw_elapse_time})
     * and {@code reserved} zero.
     */
    public static Submit of(int flags, int timeoutMs, int taskStart, int taskNumber, int priority,
            long taskObjAddr, int iommuDomainId, long taskBaseAddr, int coreMask, int fenceFd,
            List<SubcoreTask> subcoreTasks) {
        return new Submit(flags, timeoutMs, taskStart, taskNumber, 0, priority, taskObjAddr,
                iommuDomainId, 0, taskBaseAddr, 0, coreMask, fenceFd, subcoreTasks);
    }

    /** Kernel out-field: tasks completed ({@code task_number} on success). */
    public Submit withTaskCounter(int taskCounter) {
        return new Submit(flags, timeoutMs, taskStart, taskNumber, taskCounter, priority,
                taskObjAddr, iommuDomainId, reserved, taskBaseAddr, hwElapseTimeNs, coreMask,
                fenceFd, subcoreTasks);
    }

    /** Kernel out-field: commit-to-done time of the job on the hardware. */
    public Submit withHwElapseTimeNs(long hwElapseTimeNs) {
        return new Submit(flags, timeoutMs, taskStart, taskNumber, taskCounter, priority,
                taskObjAddr, iommuDomainId, reserved, taskBaseAddr, hwElapseTimeNs, coreMask,
                fenceFd, subcoreTasks);
    }

    /** Kernel out-field: the sync_file fd for FENCE_OUT (or -1 after consuming FENCE_IN). */
    public Submit withFenceFd(int fenceFd) {
        return new Submit(flags, timeoutMs, taskStart, taskNumber, taskCounter, priority,
                taskObjAddr, iommuDomainId, reserved, taskBaseAddr, hwElapseTimeNs, coreMask,
                fenceFd, subcoreTasks);
    }

    @Override
    public String name() {
        return "DRM_IOCTL_RKNPU_SUBMIT";
    }

    @Override
    public long request() {
        return REQUEST;
    }
}
