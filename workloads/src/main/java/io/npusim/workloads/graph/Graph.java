package io.npusim.workloads.graph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An immutable operator graph: ops in a valid topological order over a tensor table indexed by
 * tensor id. Construction validates the graph: ids match table positions, every non-constant
 * operand is a graph input or produced by an earlier op, every tensor is produced at most once,
 * constants are never produced, op names are unique, and outputs exist. Op records check their
 * own shapes, so a built graph is shape-consistent too.
 */
public final class Graph {

    private final String name;
    private final List<Tensor> tensors;
    private final List<Op> ops;
    private final List<Tensor> inputs;
    private final List<Tensor> outputs;
    private final int[] producer;
    private final List<List<Op>> consumers;
    private final Map<String, Integer> opIndex;
    private final long totalMacs;
    private final long totalParams;
    private final long weightBytes;

    public Graph(String name, List<Tensor> tensors, List<Op> ops, List<Tensor> inputs, List<Tensor> outputs) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("graph name is required");
        }
        this.name = name;
        this.tensors = List.copyOf(tensors);
        this.ops = List.copyOf(ops);
        this.inputs = List.copyOf(inputs);
        this.outputs = List.copyOf(outputs);

        for (int i = 0; i < this.tensors.size(); i++) {
            if (this.tensors.get(i).id() != i) {
                throw invalid("tensor at index " + i + " has id " + this.tensors.get(i).id());
            }
        }
        producer = new int[this.tensors.size()];
        Arrays.fill(producer, -1);
        List<List<Op>> cons = new ArrayList<>(this.tensors.size());
        for (int i = 0; i < this.tensors.size(); i++) {
            cons.add(new ArrayList<>());
        }
        boolean[] available = new boolean[this.tensors.size()];
        for (Tensor t : this.inputs) {
            known(t, "graph input");
            if (t.isConstant()) {
                throw invalid("graph input '" + t.name() + "' is a constant");
            }
            available[t.id()] = true;
        }
        Map<String, Integer> index = new HashMap<>();
        Set<Integer> constants = new HashSet<>();
        long macs = 0;
        long params = 0;
        long wbytes = 0;
        for (int i = 0; i < this.ops.size(); i++) {
            Op op = this.ops.get(i);
            if (index.putIfAbsent(op.name(), i) != null) {
                throw invalid("op name '" + op.name() + "' is used twice");
            }
            for (Tensor t : op.inputs()) {
                known(t, "input of op '" + op.name() + "'");
                if (t.isConstant()) {
                    if (constants.add(t.id())) {
                        wbytes += t.bytes();
                        if (t.isParameter()) {
                            params += t.elements();
                        }
                    }
                } else if (!available[t.id()]) {
                    throw invalid("op '" + op.name() + "' (#" + i + ") reads '" + t.name() + "' before it is produced");
                }
                List<Op> c = cons.get(t.id());
                if (c.isEmpty() || c.get(c.size() - 1) != op) {
                    c.add(op);
                }
            }
            for (Tensor t : op.outputs()) {
                known(t, "output of op '" + op.name() + "'");
                if (t.isConstant()) {
                    throw invalid("op '" + op.name() + "' writes constant '" + t.name() + "'");
                }
                if (available[t.id()]) {
                    throw invalid("tensor '" + t.name() + "' is produced twice (again by op '" + op.name() + "')");
                }
                available[t.id()] = true;
                producer[t.id()] = i;
            }
            macs += op.macs();
        }
        for (Tensor t : this.outputs) {
            known(t, "graph output");
            if (!available[t.id()]) {
                throw invalid("graph output '" + t.name() + "' is never produced");
            }
        }
        List<List<Op>> frozen = new ArrayList<>(cons.size());
        for (List<Op> c : cons) {
            frozen.add(List.copyOf(c));
        }
        this.consumers = Collections.unmodifiableList(frozen);
        this.opIndex = Map.copyOf(index);
        this.totalMacs = macs;
        this.totalParams = params;
        this.weightBytes = wbytes;
    }

    private void known(Tensor t, String where) {
        if (t.id() >= tensors.size() || !tensors.get(t.id()).equals(t)) {
            throw invalid(where + " '" + t.name() + "' (id " + t.id() + ") is not in the tensor table");
        }
    }

    private IllegalArgumentException invalid(String message) {
        return new IllegalArgumentException("graph '" + name + "': " + message);
    }

    public String name() {
        return name;
    }

    public List<Op> ops() {
        return ops;
    }

    public int opCount() {
        return ops.size();
    }

    public Op op(int i) {
        return ops.get(i);
    }

    public Optional<Op> op(String opName) {
        Integer i = opIndex.get(opName);
        return i == null ? Optional.empty() : Optional.of(ops.get(i));
    }

    /** Position of an op in the topological order. */
    public int indexOf(Op op) {
        Integer i = opIndex.get(op.name());
        if (i == null || ops.get(i) != op) {
            throw new IllegalArgumentException("op '" + op.name() + "' is not in graph '" + name + "'");
        }
        return i;
    }

    public List<Tensor> tensors() {
        return tensors;
    }

    public Tensor tensor(int id) {
        return tensors.get(id);
    }

    public List<Tensor> inputs() {
        return inputs;
    }

    public List<Tensor> outputs() {
        return outputs;
    }

    /** The op that writes {@code t}; empty for graph inputs and constants. */
    public Optional<Op> producer(Tensor t) {
        int i = producer[t.id()];
        return i < 0 ? Optional.empty() : Optional.of(ops.get(i));
    }

    /** Ops that read {@code t}, in topological order. */
    public List<Op> consumers(Tensor t) {
        return consumers.get(t.id());
    }

    public <T extends Op> List<T> ops(Class<T> type) {
        List<T> out = new ArrayList<>();
        for (Op op : ops) {
            if (type.isInstance(op)) {
                out.add(type.cast(op));
            }
        }
        return out;
    }

    public long totalMacs() {
        return totalMacs;
    }

    /** Learned parameters, each distinct tensor once (tied embeddings count once). */
    public long totalParams() {
        return totalParams;
    }

    /** Bytes of every distinct constant tensor the ops read. */
    public long weightBytes() {
        return weightBytes;
    }

    public long totalReadBytes() {
        long b = 0;
        for (Op op : ops) {
            b += op.readBytes();
        }
        return b;
    }

    public long totalWriteBytes() {
        long b = 0;
        for (Op op : ops) {
            b += op.writeBytes();
        }
        return b;
    }

    @Override
    public String toString() {
        return "Graph[" + name + ", " + ops.size() + " ops, " + tensors.size() + " tensors, "
                + String.format("%.3f", totalMacs / 1e9) + " GMACs, " + totalParams + " params]";
    }
}
