package io.npusim.workloads.runtime.proposed;

import io.npusim.workloads.compile.TaskPlan;
import java.util.List;

/**
 * One explicit job as userspace compiles it for the proposed UAPI: its variants, each a sequence
 * of segments (barriers between them) whose parts may run on different cores at once.
 */
public record ProposedJobPlan(String name, List<Variant> variants) {
    /** A variant compiled for {@code cores} cores: segments, each a list of parts, each a task list. */
    public record Variant(int cores, List<List<List<TaskPlan>>> segments) {
        public int taskCount() {
            int n = 0;
            for (List<List<TaskPlan>> s : segments) for (List<TaskPlan> p : s) n += p.size();
            return n;
        }
    }

    public ProposedJobPlan {
        variants = List.copyOf(variants);
    }
}
