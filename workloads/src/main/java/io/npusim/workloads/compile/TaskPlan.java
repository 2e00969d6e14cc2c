package io.npusim.workloads.compile;

import io.npusim.hw.npu.Dtype;
import io.npusim.hw.npu.TaskOp;
import java.util.ArrayList;
import java.util.List;

/**
 * A task as a compiler emits it: everything of {@link TaskOp} except that DMA addresses are
 * (buffer, offset) pairs, resolved once the runtime knows where its buffers are mapped.
 *
 * @param layer the graph operator (or fused group) the task belongs to, for per-layer profiles
 * @param regcmdEntries 64-bit register commands of the task including the 4 tail entries
 */
public record TaskPlan(String label, String layer, TaskOp.Kind kind, Dtype dtype, TaskOp.Shape shape, TaskOp.Cbuf cbuf,
                       TaskOp.Post post, List<Dma> dma, long macs, int regcmdEntries) {
    /** A DMA range inside a planned buffer. */
    public record Dma(TaskOp.Operand operand, int buffer, long offset, long bytes) {}

    public TaskPlan {
        dma = List.copyOf(dma);
    }

    /** The hardware task, with buffer-relative ranges turned into NPU addresses. */
    public TaskOp resolve(long[] bufferIova) {
        List<TaskOp.Dma> list = new ArrayList<>(dma.size());
        for (Dma d : dma) list.add(new TaskOp.Dma(d.operand(), bufferIova[d.buffer()] + d.offset(), d.bytes()));
        return new TaskOp(label, kind, dtype, shape, cbuf, post, list, macs);
    }

    public long dmaBytes() {
        long s = 0;
        for (Dma d : dma) s += d.bytes();
        return s;
    }
}
