package io.npusim.core.event;

import io.npusim.core.time.Time;

/**
 * The event loop: owns the clock and the queue. Time only moves forward; scheduling in the past
 * throws. One simulator per run, never shared between runs (no static state anywhere).
 */
public final class Simulator {
    private final EventQueue queue;
    private final EventCursor cursor = new EventCursor();
    private long nowPs;
    private long dispatched;
    private boolean stopRequested;

    public Simulator() {
        this(new CalendarEventQueue());
    }

    public Simulator(EventQueue queue) {
        this.queue = queue;
    }

    public long now() {
        return nowPs;
    }

    /** Events dispatched so far. */
    public long events() {
        return dispatched;
    }

    public int pending() {
        return queue.size();
    }

    public long schedule(long atPs, int priority, EventHandler handler, Object payload, long arg) {
        if (atPs < nowPs) {
            throw new IllegalStateException("event scheduled in the past: at " + atPs + " ps, now " + nowPs + " ps");
        }
        return queue.schedule(atPs, priority, handler, payload, arg);
    }

    public long schedule(long atPs, int priority, EventHandler handler) {
        return schedule(atPs, priority, handler, null, 0L);
    }

    public long scheduleIn(long delayPs, int priority, EventHandler handler, Object payload, long arg) {
        if (delayPs < 0) throw new IllegalStateException("negative delay " + delayPs + " ps");
        return queue.schedule(Math.addExact(nowPs, delayPs), priority, handler, payload, arg);
    }

    public long scheduleIn(long delayPs, int priority, EventHandler handler) {
        return scheduleIn(delayPs, priority, handler, null, 0L);
    }

    public boolean cancel(long handle) {
        return queue.cancel(handle);
    }

    /** Asks the loop to return after the current event. */
    public void stop() {
        stopRequested = true;
    }

    /**
     * Dispatches every event with time at or before {@code endPs} (or until {@link #stop()}), then
     * leaves the clock at {@code endPs} if the queue ran dry or the next event lies beyond it.
     */
    public void runUntil(long endPs) {
        stopRequested = false;
        final EventQueue q = queue;
        final EventCursor c = cursor;
        while (!stopRequested) {
            long next = q.peekTimePs();
            if (next == EventQueue.EMPTY || next > endPs) {
                if (endPs != Long.MAX_VALUE && endPs > nowPs) nowPs = endPs;
                return;
            }
            q.pop(c);
            nowPs = c.timePs;
            dispatched++;
            EventHandler h = c.handler;
            Object p = c.payload;
            c.clear();
            h.onEvent(p, c.arg);
        }
    }

    /** Runs until the queue is empty or {@link #stop()}. */
    public void run() {
        runUntil(Long.MAX_VALUE);
    }

    @Override
    public String toString() {
        return "Simulator[now=" + Time.format(nowPs) + ", pending=" + queue.size() + "]";
    }
}
