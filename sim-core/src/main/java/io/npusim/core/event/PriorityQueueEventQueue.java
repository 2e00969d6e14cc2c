package io.npusim.core.event;

import java.util.PriorityQueue;

/**
 * Reference queue on {@link java.util.PriorityQueue}: one object per event, lazy cancellation
 * (a cancelled event stays in the heap until it reaches the head). It gives the same order as
 * {@link CalendarEventQueue}; tests compare the two and the JMH benchmark measures both.
 */
public final class PriorityQueueEventQueue implements EventQueue {
    private static final class Entry implements Comparable<Entry> {
        final long timePs;
        final int priority;
        final long seq;
        final EventHandler handler;
        final Object payload;
        final long arg;
        boolean cancelled;

        Entry(long timePs, int priority, long seq, EventHandler handler, Object payload, long arg) {
            this.timePs = timePs;
            this.priority = priority;
            this.seq = seq;
            this.handler = handler;
            this.payload = payload;
            this.arg = arg;
        }

        @Override
        public int compareTo(Entry o) {
            int c = Long.compare(timePs, o.timePs);
            if (c != 0) return c;
            c = Integer.compare(priority, o.priority);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    private final PriorityQueue<Entry> heap = new PriorityQueue<>();
    private final it.unimi.dsi.fastutil.longs.Long2ObjectOpenHashMap<Entry> live =
            new it.unimi.dsi.fastutil.longs.Long2ObjectOpenHashMap<>();
    private long nextSeq;
    private int size;

    @Override
    public long schedule(long timePs, int priority, EventHandler handler, Object payload, long arg) {
        if ((priority & ~0x7F) != 0) throw new IllegalArgumentException("priority out of [0,127]: " + priority);
        long seq = nextSeq++;
        Entry e = new Entry(timePs, priority, seq, handler, payload, arg);
        heap.add(e);
        live.put(seq, e);
        size++;
        return seq;
    }

    @Override
    public boolean cancel(long handle) {
        Entry e = live.remove(handle);
        if (e == null) return false;
        e.cancelled = true;
        size--;
        return true;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public long peekTimePs() {
        skipCancelled();
        Entry e = heap.peek();
        return e == null ? EMPTY : e.timePs;
    }

    @Override
    public void pop(EventCursor into) {
        skipCancelled();
        Entry e = heap.poll();
        if (e == null) throw new IllegalStateException("pop on an empty event queue");
        live.remove(e.seq);
        size--;
        into.set(e.timePs, e.priority, e.handler, e.payload, e.arg);
    }

    private void skipCancelled() {
        Entry e;
        while ((e = heap.peek()) != null && e.cancelled) heap.poll();
    }
}
