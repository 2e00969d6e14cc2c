package io.npusim.core.event;

/**
 * Pending events in one total order: time, then priority, then insertion sequence. Implementations
 * must give the same order for the same calls; {@link CalendarEventQueue} is the fast default.
 */
public interface EventQueue {
    /** Returned by {@link #peekTimePs()} when the queue is empty. */
    long EMPTY = Long.MAX_VALUE;

    /**
     * Adds an event; returns a handle for {@link #cancel(long)}. Priority must be in [0, 127].
     * The queue does not check the time against a clock: {@link Simulator} does.
     */
    long schedule(long timePs, int priority, EventHandler handler, Object payload, long arg);

    /** Removes a pending event; false when it already ran or was cancelled (stale handles are safe). */
    boolean cancel(long handle);

    int size();

    default boolean isEmpty() {
        return size() == 0;
    }

    /** Time of the next event, or {@link #EMPTY}. */
    long peekTimePs();

    /** Removes the next event and copies it into {@code into}; the queue must not be empty. */
    void pop(EventCursor into);
}
