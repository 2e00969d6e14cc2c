package io.npusim.core.event;

/**
 * Named event priorities: the second key of the total order (time, priority, insertion
 * sequence). Lower runs first among events at the same picosecond. Values fit in 7 bits.
 */
public final class Priority {
    /** Hardware state changes (a task ends, a flow drains) settle before anyone looks at them. */
    public static final int HARDWARE = 10;
    /** Interrupt delivery follows the hardware change that raised it within the same instant. */
    public static final int INTERRUPT = 20;
    /** Kernel work (IRQ threads, workqueues, timers) sees the interrupts of its instant. */
    public static final int KERNEL = 30;
    /** Userspace continuations see every kernel effect of their instant. */
    public static final int USER = 40;
    /** New requests arrive after the system has settled at that instant. */
    public static final int ARRIVAL = 50;
    /** Sampling and statistics observe the settled state of the instant. */
    public static final int STATS = 90;
    /** End-of-run markers fire after everything else scheduled for the same instant. */
    public static final int END = 120;

    public static final int MAX = 127;

    private Priority() {}
}
