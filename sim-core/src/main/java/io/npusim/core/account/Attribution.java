package io.npusim.core.account;

import java.util.Arrays;

/**
 * Splits one request's latency (an inference, a prefill, a token) into exclusive {@link Part}s
 * that sum exactly to the latency. Components open claims while they work for the request; a
 * claim covers one part, or for a task whose progress is shared between compute and stalls, a
 * split across several parts that can change over time.
 *
 * <p>Over each interval between changes, the interval is divided by nested coverage: for parts
 * in priority order, coverage up to part k is the largest share any active claim gives to parts
 * 0..k; each part gets the growth of coverage, rounded down to whole picoseconds, and the rest
 * goes to {@link Part#RUNTIME_CPU} (time no claim covers: the runtime's thread holds the request).
 * A single claim is thus split exactly in its own proportions, and overlapping claims give the
 * higher-priority part the time.
 */
public final class Attribution {
    private static final Part DEFAULT = Part.RUNTIME_CPU;

    /** An open claim; its shares may be changed while it is open. */
    public static final class Claim {
        private final double[] share = new double[Part.COUNT];
        private Attribution owner;
        private int index = -1;

        private Claim() {}

        public boolean isOpen() {
            return index >= 0;
        }
    }

    private final long startPs;
    private long lastPs;
    private final long[] partPs = new long[Part.COUNT];
    private Claim[] active = new Claim[4];
    private int activeCount;
    private boolean finished;
    private final double[] cover = new double[Part.COUNT];

    public Attribution(long startPs) {
        this.startPs = startPs;
        this.lastPs = startPs;
    }

    public long startPs() {
        return startPs;
    }

    /** Opens a claim giving all its time to {@code part}. */
    public Claim open(Part part, long nowPs) {
        Claim c = new Claim();
        c.share[part.ordinal()] = 1.0;
        add(c, nowPs);
        return c;
    }

    /** Opens a claim with no share yet; set it with {@link #setShares}. */
    public Claim openSplit(long nowPs) {
        Claim c = new Claim();
        add(c, nowPs);
        return c;
    }

    /**
     * Changes the shares of an open claim from {@code nowPs} on. Shares are non-negative and sum
     * to at most 1 (a remainder is left to lower claims or to the default part).
     */
    public void setShares(Claim c, long nowPs, double npuCompute, double memoryWait, double iotlbWalk, double taskOverhead) {
        checkOwn(c);
        advance(nowPs);
        double sum = npuCompute + memoryWait + iotlbWalk + taskOverhead;
        if (npuCompute < 0 || memoryWait < 0 || iotlbWalk < 0 || taskOverhead < 0 || sum > 1 + 1e-9) {
            throw new IllegalArgumentException("bad shares " + npuCompute + "," + memoryWait + "," + iotlbWalk + "," + taskOverhead);
        }
        Arrays.fill(c.share, 0);
        c.share[Part.NPU_COMPUTE.ordinal()] = npuCompute;
        c.share[Part.MEMORY_WAIT.ordinal()] = memoryWait;
        c.share[Part.IOTLB_WALK.ordinal()] = iotlbWalk;
        c.share[Part.TASK_OVERHEAD.ordinal()] = taskOverhead;
    }

    /** Moves an open claim to another single part from {@code nowPs} on. */
    public void setPart(Claim c, long nowPs, Part part) {
        checkOwn(c);
        advance(nowPs);
        Arrays.fill(c.share, 0);
        c.share[part.ordinal()] = 1.0;
    }

    public void close(Claim c, long nowPs) {
        if (c == null || !c.isOpen()) return;
        checkOwn(c);
        advance(nowPs);
        int i = c.index;
        Claim last = active[--activeCount];
        active[i] = last;
        last.index = i;
        active[activeCount] = null;
        c.index = -1;
    }

    /** Ends the request at {@code nowPs}; returns the picoseconds of each part (sum = latency). */
    public long[] finish(long nowPs) {
        advance(nowPs);
        finished = true;
        return partPs.clone();
    }

    public boolean isFinished() {
        return finished;
    }

    public int openClaims() {
        return activeCount;
    }

    private void add(Claim c, long nowPs) {
        if (finished) throw new IllegalStateException("claim on a finished request");
        advance(nowPs);
        if (activeCount == active.length) active = Arrays.copyOf(active, active.length * 2);
        c.owner = this;
        c.index = activeCount;
        active[activeCount++] = c;
    }

    private void checkOwn(Claim c) {
        if (c.owner != this) throw new IllegalArgumentException("claim of another request");
        if (!c.isOpen()) throw new IllegalStateException("claim is closed");
    }

    private void advance(long nowPs) {
        if (nowPs < lastPs) throw new IllegalArgumentException("time went backwards: " + nowPs + " < " + lastPs);
        long dt = nowPs - lastPs;
        lastPs = nowPs;
        if (dt == 0 || finished) return;
        if (activeCount == 0) {
            partPs[DEFAULT.ordinal()] += dt;
            return;
        }
        // Nested coverage: cover[k] = max over claims of the claim's cumulative share up to k.
        Arrays.fill(cover, 0);
        for (int j = 0; j < activeCount; j++) {
            double[] s = active[j].share;
            double cum = 0;
            for (int k = 0; k < Part.COUNT; k++) {
                cum += s[k];
                if (cum > cover[k]) cover[k] = cum;
            }
        }
        long prev = 0;
        for (int k = 0; k < Part.COUNT; k++) {
            long bound = Math.min(dt, (long) Math.floor(Math.min(1.0, cover[k]) * dt));
            if (bound < prev) bound = prev;
            partPs[k] += bound - prev;
            prev = bound;
        }
        partPs[DEFAULT.ordinal()] += dt - prev;
    }
}
