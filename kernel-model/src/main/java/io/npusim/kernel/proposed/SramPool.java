package io.npusim.kernel.proposed;

import io.npusim.hw.mem.PhysMemory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The on-chip SRAM as a kernel-managed, visible resource: grants are contiguous, page-granular
 * ranges given to (context, buffer) pairs with a priority. A request takes free space first; if
 * that is short, it evicts grants of lower priority (lowest first, newest first among equals);
 * what still does not fit is granted partially. Evicted grants wait and are restored, highest
 * priority first, when space frees.
 */
final class SramPool {
    /** One grant: where in SRAM, for whom, and how much was asked. */
    static final class Grant {
        final Object owner;
        final long wanted;
        final int priority;
        final long order;
        long offset = -1;
        long bytes;

        Grant(Object owner, long wanted, int priority, long order) {
            this.owner = owner;
            this.wanted = wanted;
            this.priority = priority;
            this.order = order;
        }

        boolean placed() {
            return offset >= 0 && bytes > 0;
        }
    }

    private final long capacity;
    private final List<Grant> placed = new ArrayList<>();
    private final List<Grant> waiting = new ArrayList<>();
    private long order;
    private long peak;

    SramPool(long capacityBytes) {
        this.capacity = capacityBytes / PhysMemory.PAGE * PhysMemory.PAGE;
    }

    long capacity() {
        return capacity;
    }

    long inUse() {
        long n = 0;
        for (Grant g : placed) n += g.bytes;
        return n;
    }

    long peak() {
        return peak;
    }

    /**
     * Places a new request; returns the grant (possibly partial or empty) and fills
     * {@code evicted} with the grants it displaced.
     */
    Grant request(Object owner, long bytes, int priority, List<Grant> evicted) {
        Grant g = new Grant(owner, PhysMemory.pageAlign(bytes), priority, order++);
        if (capacity == 0 || g.wanted == 0) return g;
        long hole = largestHole();
        List<Grant> victims = new ArrayList<>(placed);
        victims.sort(Comparator.comparingInt((Grant x) -> x.priority).thenComparing(x -> -x.order));
        for (Grant v : victims) {
            if (hole >= g.wanted || v.priority >= priority) break;
            placed.remove(v);
            v.offset = -1;
            v.bytes = 0;
            waiting.add(v);
            evicted.add(v);
            hole = largestHole();
        }
        place(g, Math.min(g.wanted, hole));
        if (g.bytes < g.wanted) waiting.add(g);
        return g;
    }

    /** Releases a grant; returns the waiting grants that were restored into the freed space. */
    List<Grant> release(Grant g) {
        placed.remove(g);
        waiting.remove(g);
        g.offset = -1;
        g.bytes = 0;
        List<Grant> restored = new ArrayList<>();
        waiting.sort(Comparator.comparingInt((Grant x) -> -x.priority).thenComparingLong(x -> x.order));
        for (Grant w : new ArrayList<>(waiting)) {
            if (w.placed()) continue;
            long hole = largestHole();
            if (hole < PhysMemory.PAGE) break;
            place(w, Math.min(w.wanted, hole));
            if (w.bytes == w.wanted) waiting.remove(w);
            restored.add(w);
        }
        return restored;
    }

    private void place(Grant g, long bytes) {
        if (bytes <= 0) return;
        g.offset = holeStart(bytes);
        g.bytes = bytes;
        placed.add(g);
        peak = Math.max(peak, inUse());
    }

    private long largestHole() {
        List<Grant> s = sorted();
        long best = 0, at = 0;
        for (Grant x : s) {
            best = Math.max(best, x.offset - at);
            at = x.offset + x.bytes;
        }
        return Math.max(best, capacity - at);
    }

    /** First fit of a hole of at least {@code bytes}. */
    private long holeStart(long bytes) {
        long at = 0;
        for (Grant x : sorted()) {
            if (x.offset - at >= bytes) return at;
            at = x.offset + x.bytes;
        }
        return at;
    }

    private List<Grant> sorted() {
        List<Grant> s = new ArrayList<>(placed);
        s.sort(Comparator.comparingLong(x -> x.offset));
        return s;
    }
}
