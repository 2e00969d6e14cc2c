package io.npusim.workloads.compile;

import java.util.List;

/**
 * One NPU job: its tasks per core (one list for a single-core job, three for a job split across
 * cores), the buffers it reads and writes (for implicit synchronisation), and the core mask the
 * runtime asks for (0 = AUTO, or as the scenario says).
 */
public record JobPlan(String name, List<List<TaskPlan>> perCore, List<Integer> inBuffers, List<Integer> outBuffers) {
    public JobPlan {
        perCore = perCore.stream().map(List::copyOf).toList();
        inBuffers = List.copyOf(inBuffers);
        outBuffers = List.copyOf(outBuffers);
    }

    public static JobPlan single(String name, List<TaskPlan> tasks, List<Integer> in, List<Integer> out) {
        return new JobPlan(name, List.of(tasks), in, out);
    }

    public int cores() {
        return perCore.size();
    }

    public int taskCount() {
        int n = 0;
        for (List<TaskPlan> l : perCore) n += l.size();
        return n;
    }

    public long macs() {
        long m = 0;
        for (List<TaskPlan> l : perCore) for (TaskPlan t : l) m += t.macs();
        return m;
    }
}
