package io.npusim.workloads.compile;

import io.npusim.workloads.graph.Tensor;
import java.util.HashMap;
import java.util.Map;

/** Where each activation tensor lives: (buffer id, byte offset), with its NPU-layout size. */
public final class Placement {
    public record Where(int buffer, long offset, long bytes) {}

    private final Map<Integer, Where> byTensor = new HashMap<>();

    public void put(Tensor t, int buffer, long offset, long bytes) {
        byTensor.put(t.id(), new Where(buffer, offset, bytes));
    }

    public void alias(Tensor t, Tensor same) {
        Where w = byTensor.get(same.id());
        if (w != null) byTensor.put(t.id(), w);
    }

    public Where of(Tensor t) {
        Where w = byTensor.get(t.id());
        if (w == null) throw new IllegalStateException("tensor " + t.name() + " has no placement");
        return w;
    }

    public boolean has(Tensor t) {
        return byTensor.containsKey(t.id());
    }
}
