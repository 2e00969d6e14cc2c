package io.npusim.hw.iommu;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * The translation cache of one MMU bank, as a least-recently-used set of page intervals. DMA
 * touches contiguous ranges, so intervals stand for runs of cached pages: an access hits on the
 * pages it shares with cached intervals and misses on the rest, then becomes the most recent
 * interval, trimmed so that at most {@code capacity} pages stay cached. One access costs O(number
 * of cached intervals), never O(pages), so streaming a gigabyte of weights stays cheap.
 */
public final class Iotlb {
    private static final class Span {
        long first; // first page
        long count;

        Span(long first, long count) {
            this.first = first;
            this.count = count;
        }
    }

    private final long capacity;
    private final ArrayDeque<Span> lru = new ArrayDeque<>(); // head = most recent
    private long cached;
    private long hits;
    private long misses;
    private long zaps;

    public Iotlb(long capacityPages) {
        if (capacityPages <= 0) throw new IllegalArgumentException("IOTLB capacity must be positive");
        this.capacity = capacityPages;
    }

    /** Looks up pages [first, first + count); returns the misses and caches the range. */
    public long access(long firstPage, long count) {
        if (count <= 0) return 0;
        long hit = 0;
        long end = firstPage + count;
        // Remove the overlap from cached spans (it becomes part of the new most-recent span).
        for (Iterator<Span> it = lru.iterator(); it.hasNext(); ) {
            Span s = it.next();
            long sEnd = s.first + s.count;
            long lo = Math.max(s.first, firstPage), hi = Math.min(sEnd, end);
            if (lo >= hi) continue;
            hit += hi - lo;
            if (s.first >= firstPage && sEnd <= end) {
                it.remove();
                cached -= s.count;
            } else if (s.first < firstPage && sEnd > end) {
                // the access sits inside the span: keep the lower part here, the upper part after it
                cached -= s.count;
                s.count = firstPage - s.first;
                cached += s.count;
                Span upper = new Span(end, sEnd - end);
                lru.addLast(upper);
                cached += upper.count;
            } else if (s.first < firstPage) {
                cached -= sEnd - firstPage;
                s.count = firstPage - s.first;
            } else {
                cached -= end - s.first;
                s.count = sEnd - end;
                s.first = end;
            }
        }
        long miss = count - hit;
        // The newest pages are the tail of the range; keep at most capacity of them.
        long keep = Math.min(count, capacity);
        lru.addFirst(new Span(end - keep, keep));
        cached += keep;
        while (cached > capacity) {
            Span old = lru.peekLast();
            long over = cached - capacity;
            if (old.count <= over) {
                lru.pollLast();
                cached -= old.count;
            } else {
                old.count -= over; // LRU pages of a span are its lowest ones
                old.first += over;
                cached -= over;
            }
        }
        hits += hit;
        misses += miss;
        return miss;
    }

    /** ZAP_CACHE: forget everything. */
    public void zapAll() {
        lru.clear();
        cached = 0;
        zaps++;
    }

    /** ZAP_ONE_LINE: forget one page. */
    public void zapPage(long page) {
        for (Iterator<Span> it = lru.iterator(); it.hasNext(); ) {
            Span s = it.next();
            if (page < s.first || page >= s.first + s.count) continue;
            if (s.count == 1) {
                it.remove();
            } else if (page == s.first) {
                s.first++;
                s.count--;
            } else if (page == s.first + s.count - 1) {
                s.count--;
            } else {
                Span upper = new Span(page + 1, s.first + s.count - page - 1);
                s.count = page - s.first;
                lru.addLast(upper);
            }
            cached--;
            break;
        }
    }

    public long cachedPages() {
        return cached;
    }

    public long hits() {
        return hits;
    }

    public long misses() {
        return misses;
    }

    public long zaps() {
        return zaps;
    }

    public long capacity() {
        return capacity;
    }
}
