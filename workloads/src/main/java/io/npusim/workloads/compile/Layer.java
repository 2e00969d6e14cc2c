package io.npusim.workloads.compile;

import io.npusim.hw.npu.TaskOp;
import io.npusim.workloads.graph.Op;
import io.npusim.workloads.graph.Tensor;
import java.util.List;

/**
 * A group of graph operators a runtime runs as one unit: a convolution with its fused activation
 * and residual add, an element-wise op, a pool, a copy, or an operator left to the CPU.
 *
 * @param kind hardware task kind, or null when the layer runs on the CPU
 * @param inputs activation inputs (feature first, fused element-wise operand second)
 * @param splittable whether a multi-core runtime may split it across cores
 */
public record Layer(String name, TaskOp.Kind kind, Op main, List<Op> ops, List<Tensor> inputs, List<Tensor> outputs,
                    TaskOp.Post post, boolean splittable) {
    public Layer {
        ops = List.copyOf(ops);
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }

    public Tensor output() {
        return outputs.get(0);
    }

    public boolean onNpu() {
        return kind != null;
    }

    public long macs() {
        long m = 0;
        for (Op o : ops) m += o.macs();
        return m;
    }

    public long weightBytes() {
        long b = 0;
        for (Op o : ops) b += o.weightBytes();
        return b;
    }

    /** Type names of the fused ops, e.g. "Conv2d+Activation+Add". */
    public String typeName() {
        StringBuilder sb = new StringBuilder();
        for (Op o : ops) {
            if (sb.length() > 0) sb.append('+');
            sb.append(o instanceof io.npusim.workloads.graph.Activation a ? a.kind().name().toLowerCase(java.util.Locale.ROOT) : o.opType());
        }
        return sb.toString();
    }
}
