package io.npusim.workloads.compile;

import io.npusim.core.account.Part;
import java.util.List;

/** One step of an inference as a runtime executes it, in order. */
public sealed interface Step permits Step.Npu, Step.Cpu, Step.ContextCpu {
    String name();

    /**
     * NPU work issued with one submit call (vendor: one job; upstream: one SUBMIT carrying several
     * jobs), or, with {@code parallel}, one single-core submit per job issued at once by one worker
     * thread per NPU core (the RKLLM way).
     */
    record Npu(String name, List<JobPlan> jobs, boolean parallel) implements Step {
        public Npu {
            jobs = List.copyOf(jobs);
        }

        public int taskCount() {
            int n = 0;
            for (JobPlan j : jobs) n += j.taskCount();
            return n;
        }
    }

    /**
     * CPU work: an operator the NPU path does not run ({@link Part#CPU_FALLBACK}) or the runtime's
     * own work ({@link Part#RUNTIME_CPU}), timed on an unloaded A76 core, spread over {@code threads}.
     */
    record Cpu(String name, String opType, long refPs, long ddrBytes, Part part, int threads) implements Step {
        public Cpu {
            if (refPs < 0 || ddrBytes < 0 || threads < 1) throw new IllegalArgumentException("bad CPU step " + name);
        }
    }

    /**
     * CPU work that grows with the number of cached positions (attention over the KV cache): the
     * runtime multiplies the per-position cost by the context length of the step it runs.
     */
    record ContextCpu(String name, String opType, long refPsPerPosition, long bytesPerPosition, Part part, int threads) implements Step {
        public ContextCpu {
            if (refPsPerPosition < 0 || bytesPerPosition < 0 || threads < 1) throw new IllegalArgumentException("bad CPU step " + name);
        }

        public Cpu at(int positions) {
            return new Cpu(name, opType, refPsPerPosition * positions, bytesPerPosition * positions, part, threads);
        }
    }
}
