package io.npusim.workloads.compile;

import java.util.List;

/**
 * A model compiled for one runtime: the buffers to allocate at load time and the steps of one
 * inference. LLM runtimes build programs per phase (prefill, one decode step).
 */
public record Program(String model, String runtime, List<BufferPlan> buffers, List<Step> steps) {
    public Program {
        buffers = List.copyOf(buffers);
        steps = List.copyOf(steps);
        for (int i = 0; i < buffers.size(); i++) {
            if (buffers.get(i).id() != i) throw new IllegalArgumentException("buffer ids must be 0..n-1 in order");
        }
    }

    public int npuSteps() {
        int n = 0;
        for (Step s : steps) if (s instanceof Step.Npu) n++;
        return n;
    }

    public int taskCount() {
        int n = 0;
        for (Step s : steps) if (s instanceof Step.Npu npu) n += npu.taskCount();
        return n;
    }

    public int jobCount() {
        int n = 0;
        for (Step s : steps) if (s instanceof Step.Npu npu) n += npu.jobs().size();
        return n;
    }

    public List<Step.Cpu> cpuSteps() {
        return steps.stream().filter(s -> s instanceof Step.Cpu).map(s -> (Step.Cpu) s).toList();
    }

    public long bufferBytes(BufferPlan.Kind kind) {
        long b = 0;
        for (BufferPlan p : buffers) if (p.kind() == kind) b += p.bytes();
        return b;
    }

    public long totalBufferBytes() {
        long b = 0;
        for (BufferPlan p : buffers) b += p.bytes();
        return b;
    }
}
