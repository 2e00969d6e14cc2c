package io.npusim.core.event;

/** Reusable holder for the event just removed from a queue (avoids one object per event). */
public final class EventCursor {
    long timePs;
    int priority;
    EventHandler handler;
    Object payload;
    long arg;

    public long timePs() {
        return timePs;
    }

    public int priority() {
        return priority;
    }

    public EventHandler handler() {
        return handler;
    }

    public Object payload() {
        return payload;
    }

    public long arg() {
        return arg;
    }

    void set(long timePs, int priority, EventHandler handler, Object payload, long arg) {
        this.timePs = timePs;
        this.priority = priority;
        this.handler = handler;
        this.payload = payload;
        this.arg = arg;
    }

    void clear() {
        handler = null;
        payload = null;
    }
}
