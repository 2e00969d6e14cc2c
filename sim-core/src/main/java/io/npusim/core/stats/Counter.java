package io.npusim.core.stats;

/** A monotonically increasing count (events, bytes, interrupts). */
public final class Counter {
    private long value;

    public void inc() {
        value++;
    }

    public void add(long delta) {
        if (delta < 0) throw new IllegalArgumentException("counter decrement " + delta);
        value += delta;
    }

    public long get() {
        return value;
    }
}
