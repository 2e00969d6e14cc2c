package io.npusim.kernel.devfreq;

import io.npusim.core.account.Part;
import io.npusim.core.event.Priority;
import io.npusim.core.trace.TraceArgs;
import io.npusim.hw.clock.NpuClock;
import io.npusim.kernel.os.Kernel;

/**
 * A devfreq device on the one NPU clock (clk_npu of all three cores) with the simple_ondemand
 * governor, over the vendor OPP table. Used by the {@code rocket.devfreq} switch (rocket as merged
 * has no devfreq or OPP code, rocket-upstream.md 2.1, 5.5: this is what a patch adding it would do)
 * and by the proposed driver's DVFS ({@code proposed.dvfs}).
 *
 * <p>Every polling interval (devfreq_monitor) the governor reads the busy and total time of the
 * last window, as {@code devfreq_simple_ondemand_func} in drivers/devfreq/governor_simpleondemand.c
 * does with them:
 * <ul>
 *   <li>busy above {@code upthreshold}% of the window: the highest OPP;</li>
 *   <li>busy above {@code upthreshold - downdifferential}%: keep the current rate;</li>
 *   <li>otherwise {@code busy x current / total x 100 / (upthreshold - downdifferential / 2)}, so the
 *       load would sit just under the threshold;</li>
 * </ul>
 * then the devfreq core clamps the result to the table and picks the lowest OPP at or above it
 * (devfreq_recommended_opp without DEVFREQ_FLAG_LEAST_UPPER_BOUND). The new rate applies after
 * the transition latency (clk_set_rate and the regulator ramp); the cores keep running meanwhile.
 *
 * <p>Busy is the time at least one core has a job in flight (from rocket_job_run's hardware
 * submit to the job's fence), the way panfrost and lima record busy and idle around jobs for
 * their devfreq: the clock is shared, so a second busy core adds no load of its own.
 */
public final class SimpleOndemand {
    private final Kernel k;
    private final NpuClock clock;
    private final DevfreqParams p;
    private final long[] opps; // ascending
    private final int track;
    private final String event;

    private int busyCores;
    private long busySincePs;
    private long windowBusyPs;
    private long windowStartPs;
    private long pendingHandle = -1;
    private long pendingMhz;

    // statistics
    private long samples;
    private long raises;
    private long lowers;

    /** {@code driver} names the trace process ("kernel: rocket", "kernel: proposed"). */
    public SimpleOndemand(Kernel k, DevfreqParams p, String driver) {
        this.k = k;
        this.clock = k.hw().clock();
        this.p = p;
        this.opps = clock.oppMhz();
        java.util.Arrays.sort(opps);
        this.track = k.trace().enabled() ? k.trace().track(driver, "devfreq") : 0;
        this.event = driver.replace("kernel: ", "") + ".devfreq";
    }

    /** devfreq_add_device: the first sample one polling interval from now. */
    public void start() {
        windowStartPs = k.sim().now();
        if (trace()) k.trace().counter(track, "NPU clock", windowStartPs, "MHz", clock.mhz());
        k.sim().scheduleIn(p.pollingPs(), Priority.STATS, (o, a) -> sample(), null, 0);
    }

    /** A core took a job (the device is busy while any core has one). */
    public void jobStarted() {
        if (busyCores++ == 0) busySincePs = k.sim().now();
    }

    /** A core's job ended (fence signalled, or dropped by a reset). */
    public void jobEnded() {
        if (busyCores == 0) return;
        if (--busyCores == 0) windowBusyPs += k.sim().now() - busySincePs;
    }

    private void sample() {
        long now = k.sim().now();
        long busyPs = windowBusyPs + (busyCores > 0 ? now - busySincePs : 0);
        if (busyCores > 0) busySincePs = now;
        windowBusyPs = 0;
        long totalPs = now - windowStartPs;
        windowStartPs = now;
        samples++;
        long cur = clock.mhz();
        long target = recommendedOpp(simpleOndemandHz(busyPs / 1000, totalPs / 1000, cur * 1_000_000L));
        long next = pendingHandle >= 0 ? pendingMhz : cur;
        if (target != next) {
            if (pendingHandle >= 0) k.sim().cancel(pendingHandle);
            if (target > cur) raises++;
            else lowers++;
            pendingMhz = target;
            if (trace()) {
                k.trace().instant(track, event, cur + " -> " + target + " MHz", now, TraceArgs.of(
                        "busy_pct", Math.round(1000.0 * busyPs / Math.max(1, totalPs)) / 10.0, "from_mhz", cur, "to_mhz", target));
            }
            pendingHandle = k.sim().scheduleIn(p.transitionPs(), Priority.KERNEL, (o, a) -> {
                pendingHandle = -1;
                clock.setMhz(pendingMhz, k.sim().now());
                if (trace()) k.trace().counter(track, "NPU clock", k.sim().now(), "MHz", clock.mhz());
            }, null, 0);
        }
        // devfreq_monitor is a delayed work item: one workqueue round trip of kernel CPU per sample
        k.kernelCpu(k.cost().irqCpu(), k.cost().workqueueWakeupPs(), null, Part.JOB_OVERHEAD, () -> { });
        k.sim().scheduleIn(p.pollingPs(), Priority.STATS, (o, a) -> sample(), null, 0);
    }

    private boolean trace() {
        return k.trace().enabled();
    }

    /**
     * devfreq_simple_ondemand_func with the driver's busy and total time (ns, as ktime deltas) and
     * the current rate in Hz; returns the wanted rate in Hz ({@link Long#MAX_VALUE} for
     * DEVFREQ_MAX_FREQ).
     */
    public long simpleOndemandHz(long busyNs, long totalNs, long currentHz) {
        return simpleOndemandHz(busyNs, totalNs, currentHz, p.upthreshold(), p.downdifferential());
    }

    public static long simpleOndemandHz(long busy, long total, long currentHz, int upthreshold, int downdifferential) {
        // Prevent overflow
        if (busy >= (1L << 24) || total >= (1L << 24)) {
            busy >>= 7;
            total >>= 7;
        }
        // Assume MAX if it is going to be divided by zero
        if (total == 0) return Long.MAX_VALUE;
        // Set MAX if it's busy enough
        if (busy * 100 > total * upthreshold) return Long.MAX_VALUE;
        // Set MAX if we do not know the initial frequency
        if (currentHz == 0) return Long.MAX_VALUE;
        // Keep the current frequency
        if (busy * 100 > total * (upthreshold - downdifferential)) return currentHz;
        // Set the desired frequency based on the load
        long a = busy * currentHz;
        long b = a / total;
        b *= 100;
        return b / (upthreshold - downdifferential / 2);
    }

    /** Clamp to the table, then the lowest OPP at or above the rate (MHz). */
    public long recommendedOpp(long hz) {
        for (long o : opps) if (o * 1_000_000L >= hz) return o;
        return opps[opps.length - 1];
    }

    public long samples() {
        return samples;
    }

    public long raises() {
        return raises;
    }

    public long lowers() {
        return lowers;
    }
}
