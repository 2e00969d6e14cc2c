package io.npusim.workloads.compile;

import io.npusim.hw.npu.TaskOp;
import io.npusim.workloads.graph.Activation;
import io.npusim.workloads.graph.Add;
import io.npusim.workloads.graph.AvgPool;
import io.npusim.workloads.graph.Concat;
import io.npusim.workloads.graph.Conv2d;
import io.npusim.workloads.graph.Div;
import io.npusim.workloads.graph.Graph;
import io.npusim.workloads.graph.MatMul;
import io.npusim.workloads.graph.MaxPool;
import io.npusim.workloads.graph.Mul;
import io.npusim.workloads.graph.Op;
import io.npusim.workloads.graph.Pad;
import io.npusim.workloads.graph.Reshape;
import io.npusim.workloads.graph.Resize;
import io.npusim.workloads.graph.Slice;
import io.npusim.workloads.graph.Split;
import io.npusim.workloads.graph.Sub;
import io.npusim.workloads.graph.Tensor;
import io.npusim.workloads.graph.Transpose;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Groups graph operators into layers the way a runtime's compiler does: a convolution (or a
 * matmul with constant weights) absorbs the activation and residual add that follow it when they
 * are its only consumer (the DPU does bias, element-wise add and activation on the way out), and
 * every other operator becomes its own layer on the NPU or on the CPU, as {@code onNpu} decides.
 */
public final class Fusion {
    /** Which operators the runtime runs on the NPU (the rest fall back to the CPU). */
    public interface Support extends Predicate<Op> {}

    private Fusion() {}

    public static List<Layer> layers(Graph g, Support onNpu, boolean fuseAdd, Set<Activation.Kind> fusableActivations,
                                     Set<Activation.Kind> splittableActivations) {
        List<Layer> out = new ArrayList<>();
        Set<Op> used = new HashSet<>();
        List<Op> ops = g.ops();
        for (int i = 0; i < ops.size(); i++) {
            Op op = ops.get(i);
            if (used.contains(op)) continue;
            used.add(op);
            if (!onNpu.test(op)) {
                out.add(new Layer(op.name(), null, op, List.of(op), activationInputs(op), op.outputs(), TaskOp.Post.NONE, false));
                continue;
            }
            boolean conv = op instanceof Conv2d || (op instanceof MatMul m && m.constantB());
            if (conv) {
                List<Op> group = new ArrayList<>(List.of(op));
                List<Tensor> inputs = new ArrayList<>(activationInputs(op));
                Tensor cur = op.output();
                TaskOp.Activation act = TaskOp.Activation.NONE;
                boolean ewAdd = false;
                boolean split = true;
                // conv [-> act] [-> add [-> act]]
                for (int step = 0; step < 3; step++) {
                    List<Op> cons = g.consumers(cur);
                    if (cons.size() != 1) break;
                    Op next = cons.get(0);
                    if (used.contains(next) || !onNpu.test(next)) break;
                    if (next instanceof Activation a && fusableActivations.contains(a.kind()) && act == TaskOp.Activation.NONE) {
                        act = relu(a.kind()) ? TaskOp.Activation.RELU : TaskOp.Activation.LUT;
                        split &= splittableActivations.contains(a.kind());
                        group.add(next);
                        used.add(next);
                        cur = next.output();
                    } else if (fuseAdd && next instanceof Add add && !ewAdd && available(g, add, cur, used)) {
                        ewAdd = true;
                        Tensor other = add.input(0).equals(cur) ? add.input(1) : add.input(0);
                        inputs.add(other);
                        group.add(next);
                        used.add(next);
                        cur = next.output();
                        act = TaskOp.Activation.NONE; // an activation after the add is the one that ends the group
                    } else {
                        break;
                    }
                }
                boolean depthwise = op instanceof Conv2d c && c.isDepthwise();
                TaskOp.Kind kind = depthwise ? TaskOp.Kind.DEPTHWISE : TaskOp.Kind.CONV;
                String name = group.size() == 1 ? op.name() : op.name() + "+" + (group.size() - 1);
                out.add(new Layer(name, kind, op, group, inputs, List.of(cur), new TaskOp.Post(true, ewAdd, act, false), split));
                continue;
            }
            TaskOp.Kind kind = kindOf(op);
            boolean split = op instanceof Add || op instanceof Concat
                    || (op instanceof Activation a && splittableActivations.contains(a.kind()));
            TaskOp.Post post = kind == TaskOp.Kind.POOL ? new TaskOp.Post(false, false, TaskOp.Activation.NONE, true)
                    : kind == TaskOp.Kind.LUT ? new TaskOp.Post(false, false, TaskOp.Activation.LUT, false) : TaskOp.Post.NONE;
            out.add(new Layer(op.name(), kind, op, List.of(op), activationInputs(op), op.outputs(), post, split));
        }
        return out;
    }

    static boolean relu(Activation.Kind k) {
        return k == Activation.Kind.RELU || k == Activation.Kind.RELU6 || k == Activation.Kind.LEAKY_RELU;
    }

    /** The add's other operand must already exist when the group runs. */
    private static boolean available(Graph g, Add add, Tensor cur, Set<Op> used) {
        Tensor other = add.input(0).equals(cur) ? add.input(1) : add.input(0);
        if (other.isConstant()) return false;
        return g.producer(other).map(used::contains).orElse(true);
    }

    static TaskOp.Kind kindOf(Op op) {
        if (op instanceof Add || op instanceof Sub || op instanceof Mul || op instanceof Div) return TaskOp.Kind.ELEMENTWISE;
        if (op instanceof Activation) return TaskOp.Kind.LUT;
        if (op instanceof MaxPool || op instanceof AvgPool) return TaskOp.Kind.POOL;
        if (op instanceof Resize) return TaskOp.Kind.DEPTHWISE; // lowered to a transposed depthwise conv
        if (op instanceof MatMul) return TaskOp.Kind.CONV;
        if (op instanceof Concat || op instanceof Split || op instanceof Slice || op instanceof Pad || op instanceof Transpose
                || op instanceof Reshape) {
            return TaskOp.Kind.COPY;
        }
        return TaskOp.Kind.COPY;
    }

    static List<Tensor> activationInputs(Op op) {
        List<Tensor> l = new ArrayList<>();
        for (Tensor t : op.inputs()) if (!t.isConstant()) l.add(t);
        return l;
    }
}
