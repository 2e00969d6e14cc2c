package io.npusim.workloads.compile;

/**
 * A buffer a runtime allocates when it loads a model: weights, activations between layers, model
 * input and output, register commands, task descriptors, KV cache.
 *
 * @param sram whether the runtime asks for on-chip SRAM for it (vendor runtime, when configured)
 */
public record BufferPlan(int id, String name, Kind kind, long bytes, boolean sram) {
    public enum Kind { WEIGHT, INTERNAL, INPUT, OUTPUT, REGCMD, TASKS, KV_CACHE }

    public BufferPlan {
        if (bytes <= 0) throw new IllegalArgumentException("buffer " + name + " of " + bytes + " bytes");
    }

    public BufferPlan withSram(boolean s) {
        return new BufferPlan(id, name, kind, bytes, s);
    }
}
