package io.npusim.core.event;

import java.util.Arrays;

/**
 * The default event queue: a calendar queue (R. Brown, CACM 1988) with exact tie order. Time is
 * cut into buckets of {@code 2^shift} picoseconds; a year is {@code nb} buckets and wraps around.
 * An event goes to bucket {@code (time >> shift) & (nb - 1)}, whose events are kept sorted by
 * (time, ord) in descending order so the earliest is at the end and leaves in O(1). Dequeueing
 * walks the buckets of the current year; with about one event per bucket both operations are
 * O(1) and touch only primitive arrays, which a heap (log n climbs through unpredictable
 * branches) cannot match.
 *
 * <p>{@code ord = priority << 56 | sequence << 22 | slot}: priority (7 bits), insertion sequence
 * (34 bits, renumbered in order if it runs out) and the slot (22 bits) holding handler, payload
 * and argument. The slot bits never decide an order because sequences are unique.
 *
 * <p>The bucket count doubles or halves as the queue grows or shrinks, and the bucket width is
 * re-estimated from the spacing of the earliest events at each resize, or when a dequeue had to
 * search a whole year. A slot remembers its event's time, so cancelling finds the bucket at once
 * and removes the entry (buckets hold one or two events). Handles are
 * {@code generation << 32 | slot}; a stale handle cancels nothing.
 */
public final class CalendarEventQueue implements EventQueue {
    private static final int SLOT_BITS = 22;
    private static final int SEQ_BITS = 34;
    private static final long SLOT_MASK = (1L << SLOT_BITS) - 1;
    private static final long SEQ_LIMIT = 1L << SEQ_BITS;
    private static final int PRIO_SHIFT = SLOT_BITS + SEQ_BITS;
    public static final int MAX_PENDING = 1 << SLOT_BITS;
    private static final int MIN_BUCKETS = 16;
    private static final int WIDTH_SAMPLE = 64;

    private long[][] bucket; // per bucket: (time, ord) pairs, sorted descending
    private int[] count;
    private int nb;
    private int mask;
    private int shift; // bucket width is 2^shift ps

    private int cur; // bucket being walked
    private long curTop; // end (exclusive) of the time range of bucket cur in the current year
    private int live;
    private int fullYearSearches;

    private EventHandler[] sHandler;
    private Object[] sPayload;
    private long[] sArg;
    private long[] sTime;
    private int[] sGen;
    private int[] freeSlots;
    private int freeCount;
    private int slotsUsed;
    private long nextSeq;

    public CalendarEventQueue() {
        this(1024);
    }

    public CalendarEventQueue(int initialCapacity) {
        int cap = Math.max(16, Math.min(initialCapacity, MAX_PENDING));
        sHandler = new EventHandler[cap];
        sPayload = new Object[cap];
        sArg = new long[cap];
        sTime = new long[cap];
        sGen = new int[cap];
        freeSlots = new int[cap];
        allocBuckets(MIN_BUCKETS, 20); // about 1 us wide until the events tell us better
        curTop = 1L << shift;
    }

    @Override
    public long schedule(long timePs, int priority, EventHandler handler, Object payload, long arg) {
        if ((priority & ~0x7F) != 0) throw new IllegalArgumentException("priority out of [0,127]: " + priority);
        if (handler == null) throw new IllegalArgumentException("null event handler");
        if (timePs < 0) throw new IllegalArgumentException("negative event time " + timePs);
        if (nextSeq == SEQ_LIMIT) resequence();
        int slot = allocSlot();
        sHandler[slot] = handler;
        sPayload[slot] = payload;
        sArg[slot] = arg;
        sTime[slot] = timePs;
        long ord = ((long) priority << PRIO_SHIFT) | (nextSeq++ << SLOT_BITS) | slot;
        insert(timePs, ord);
        live++;
        if (live > 2 * nb) resize(nb * 2);
        return ((long) sGen[slot] << 32) | slot;
    }

    @Override
    public boolean cancel(long handle) {
        int slot = (int) handle;
        if (slot < 0 || slot >= slotsUsed || sGen[slot] != (int) (handle >>> 32)) return false;
        int b = (int) ((sTime[slot] >>> shift) & mask);
        long[] a = bucket[b];
        int c = count[b];
        for (int i = c - 1; i >= 0; i--) {
            if ((int) (a[2 * i + 1] & SLOT_MASK) == slot) {
                System.arraycopy(a, 2 * i + 2, a, 2 * i, 2 * (c - 1 - i));
                count[b] = c - 1;
                live--;
                sHandler[slot] = null;
                sPayload[slot] = null;
                freeSlot(slot);
                if (nb > MIN_BUCKETS && live < nb / 2) resize(nb / 2);
                return true;
            }
        }
        throw new IllegalStateException("event of slot " + slot + " missing from its bucket");
    }

    @Override
    public int size() {
        return live;
    }

    @Override
    public long peekTimePs() {
        int b = findHead();
        return b < 0 ? EMPTY : bucket[b][2 * count[b] - 2];
    }

    @Override
    public void pop(EventCursor into) {
        int b = findHead();
        if (b < 0) throw new IllegalStateException("pop on an empty event queue");
        int c = --count[b];
        long[] a = bucket[b];
        long ord = a[2 * c + 1];
        int slot = (int) (ord & SLOT_MASK);
        into.set(a[2 * c], (int) (ord >>> PRIO_SHIFT), sHandler[slot], sPayload[slot], sArg[slot]);
        live--;
        freeSlot(slot);
        if (nb > MIN_BUCKETS && live < nb / 2) resize(nb / 2);
    }

    /** Index of the bucket whose last entry is the next event, or -1; moves the cursor. */
    private int findHead() {
        if (live == 0) return -1;
        while (true) {
            int steps = 0;
            while (steps <= nb) {
                int b = cur;
                int c = count[b];
                if (c > 0 && bucket[b][2 * c - 2] < curTop) return b;
                cur = (b + 1) & mask;
                curTop += 1L << shift;
                steps++;
            }
            // A whole year without an event in range: jump straight to the earliest one.
            directSearch();
            if (++fullYearSearches > 4) {
                fullYearSearches = 0;
                resize(nb); // the width no longer fits the spacing of events
            }
        }
    }

    private void directSearch() {
        long best = Long.MAX_VALUE;
        int bestB = -1;
        for (int b = 0; b < nb; b++) {
            int c = count[b];
            if (c > 0 && bucket[b][2 * c - 2] < best) {
                best = bucket[b][2 * c - 2];
                bestB = b;
            }
        }
        if (bestB >= 0) positionAt(best);
    }

    private void positionAt(long t) {
        cur = (int) ((t >>> shift) & mask);
        curTop = ((t >>> shift) + 1) << shift;
    }

    private void insert(long t, long o) {
        int b = (int) ((t >>> shift) & mask);
        int c = count[b];
        long[] a = bucket[b];
        if (2 * c == a.length) bucket[b] = a = Arrays.copyOf(a, a.length * 2);
        // Descending order: walk from the end past entries that sort before the new one.
        int p = c;
        while (p > 0) {
            long pt = a[2 * p - 2];
            if (pt > t || (pt == t && a[2 * p - 1] > o)) break;
            a[2 * p] = pt;
            a[2 * p + 1] = a[2 * p - 1];
            p--;
        }
        a[2 * p] = t;
        a[2 * p + 1] = o;
        count[b] = c + 1;
        // An event before the cursor's bucket (after a peek that was not followed by a pop)
        // moves the cursor back so the walk finds it.
        if (t < curTop - (1L << shift)) positionAt(t);
    }

    /** Rebuilds with {@code newNb} buckets and a width fitted to the spacing of the earliest events. */
    private void resize(int newNb) {
        long[] all = drainAll();
        int n = all.length / 2;
        int newShift = estimateShift(all, n);
        allocBuckets(Math.max(MIN_BUCKETS, newNb), newShift);
        long min = Long.MAX_VALUE;
        for (int i = 0; i < n; i++) min = Math.min(min, all[2 * i]);
        positionAt(min == Long.MAX_VALUE ? 0 : min);
        for (int i = 0; i < n; i++) insert(all[2 * i], all[2 * i + 1]);
    }

    /**
     * Bucket width from the mean gap between the earliest distinct times, gaps above twice the
     * mean excluded (Brown's rule); rounded to a power of two near three gaps.
     */
    private int estimateShift(long[] all, int n) {
        if (n < 2) return shift;
        long[] times = new long[n];
        for (int i = 0; i < n; i++) times[i] = all[2 * i];
        Arrays.sort(times);
        int k = Math.min(n, WIDTH_SAMPLE);
        double sum = 0;
        int gaps = 0;
        for (int i = 1; i < k; i++) {
            long g = times[i] - times[i - 1];
            sum += g;
            gaps++;
        }
        double mean = sum / gaps;
        double sum2 = 0;
        int gaps2 = 0;
        for (int i = 1; i < k; i++) {
            long g = times[i] - times[i - 1];
            if (g <= 2 * mean) {
                sum2 += g;
                gaps2++;
            }
        }
        double gap = gaps2 > 0 ? sum2 / gaps2 : mean;
        double width = Math.max(1, 3 * gap);
        int s = 63 - Long.numberOfLeadingZeros((long) width);
        return Math.max(0, Math.min(50, s));
    }

    /** Removes every event from the buckets. */
    private long[] drainAll() {
        long[] all = new long[2 * live];
        int k = 0;
        for (int b = 0; b < nb; b++) {
            System.arraycopy(bucket[b], 0, all, k, 2 * count[b]);
            k += 2 * count[b];
            count[b] = 0;
        }
        return all;
    }

    private void allocBuckets(int newNb, int newShift) {
        nb = newNb;
        mask = newNb - 1;
        shift = newShift;
        bucket = new long[newNb][];
        for (int b = 0; b < newNb; b++) bucket[b] = new long[4];
        count = new int[newNb];
    }

    /** Renumbers sequences 0..n-1 keeping their order, when 2^34 of them have been used. */
    private void resequence() {
        long[] all = drainAll();
        int n = all.length / 2;
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) keys[i] = all[2 * i + 1] >>> SLOT_BITS;
        long[] sorted = keys.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < n; i++) {
            long prio = keys[i] >>> SEQ_BITS;
            long rank = Arrays.binarySearch(sorted, keys[i]);
            all[2 * i + 1] = (prio << PRIO_SHIFT) | (rank << SLOT_BITS) | (all[2 * i + 1] & SLOT_MASK);
            insert(all[2 * i], all[2 * i + 1]);
        }
        nextSeq = n;
    }

    /** Test hook: pretend {@code used} sequence numbers are gone. */
    void skipSequenceTo(long used) {
        nextSeq = used;
    }

    private int allocSlot() {
        if (freeCount > 0) return freeSlots[--freeCount];
        if (slotsUsed == sHandler.length) {
            if (slotsUsed == MAX_PENDING) throw new IllegalStateException("more than " + MAX_PENDING + " pending events");
            growSlots();
        }
        return slotsUsed++;
    }

    /**
     * Returns a slot to the free list. After a pop the handler and payload references stay until
     * the slot is reused (last in, first out, so few linger); the generation bump invalidates
     * old handles.
     */
    private void freeSlot(int slot) {
        sGen[slot]++;
        freeSlots[freeCount++] = slot;
    }

    private void growSlots() {
        int cap = Math.min(sHandler.length * 2, MAX_PENDING);
        sHandler = Arrays.copyOf(sHandler, cap);
        sPayload = Arrays.copyOf(sPayload, cap);
        sArg = Arrays.copyOf(sArg, cap);
        sGen = Arrays.copyOf(sGen, cap);
        sTime = Arrays.copyOf(sTime, cap);
        freeSlots = Arrays.copyOf(freeSlots, cap);
    }
}
