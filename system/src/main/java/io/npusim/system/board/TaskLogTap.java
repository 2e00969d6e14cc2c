package io.npusim.system.board;

import io.npusim.hw.npu.NpuObserver;
import io.npusim.hw.npu.TaskRecord;

/**
 * Sits between a board's cores and its task log: a subclass sees every record first and counts
 * what it needs, and each record is then handed on, so the board's own statistics stay whole.
 * Made in a run's prepare hook, before the simulation starts.
 */
public abstract class TaskLogTap implements NpuObserver {
    private final NpuObserver next;

    /** Attaches itself to every core; the cores call it only once the run starts, after construction. */
    protected TaskLogTap(Board b) {
        this.next = b.taskLog();
        for (int i = 0; i < b.hw().coreCount(); i++) b.hw().core(i).setObserver(this);
    }

    @Override
    public void taskDone(TaskRecord r) {
        next.taskDone(r);
    }

    @Override
    public void workLost(int core, int tasks, String reason, long nowPs) {
        next.workLost(core, tasks, reason, nowPs);
    }

    @Override
    public void foreignAccess(int core, int ownerPid, long iova, long nowPs) {
        next.foreignAccess(core, ownerPid, iova, nowPs);
    }

    @Override
    public void hung(int core, long address, long nowPs) {
        next.hung(core, address, nowPs);
    }
}
