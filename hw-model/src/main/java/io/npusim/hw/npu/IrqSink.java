package io.npusim.hw.npu;

/** The interrupt line of a core, as the interrupt controller sees it. */
@FunctionalInterface
public interface IrqSink {
    /** The line went high at {@code nowPs} (level-triggered: it stays high until status is cleared or masked). */
    void raise(int core, long nowPs);
}
