package io.npusim.hw.ddr;

import io.npusim.core.event.EventHandler;
import io.npusim.core.event.Priority;
import io.npusim.core.event.Simulator;
import io.npusim.core.stats.BucketSeries;
import java.util.Arrays;

/**
 * DDR and system-SRAM bandwidth shared by every master, as a fluid (flow-level) model. Each
 * active {@link Activity} asks for bandwidth in proportion to the rate it could progress at; DDR
 * and SRAM capacity are divided by max-min fairness (progressive filling) with per-port limits
 * (an NPU core's AXI port, a CPU cluster's port). Rates are recomputed whenever an activity
 * starts, ends or changes its compute rate; between those instants every rate is constant, so
 * completions are exact events.
 */
public final class MemoryFabric {
    private static final double EPS = 1e-12;

    private final Simulator sim;
    private double ddrCapacity; // bytes per ps
    private double sramCapacity;
    private final double[] portLimit; // bytes per ps, per port
    private final boolean[] portExclusive; // one activity at a time (an NPU core)
    private final String[] portName;

    private Activity[] acts = new Activity[16];
    private int n;
    private long lastPs;
    private long statsPs;

    private final EventHandler onEnd = (p, a) -> complete((Activity) p);

    // statistics
    private double ddrBytesTotal;
    private double sramBytesTotal;
    private final double[] portDdrBytes;
    private final double[] portSramBytes;
    private final BucketSeries ddrSeries;
    private final BucketSeries sramSeries;
    private double peakDdrBytesPerPs;

    // scratch for water-filling
    private double[] cap = new double[16];
    private double[] demand = new double[16];
    private double[] alloc = new double[16];
    private double[] sramAlloc = new double[16];
    private boolean[] open = new boolean[16];
    private final double[] groupLeft;
    private final int[] groupOpen;

    public MemoryFabric(Simulator sim, double ddrBytesPerPs, double sramBytesPerPs, String[] portNames,
                        double[] portLimitBytesPerPs, boolean[] portExclusive, long seriesBucketPs) {
        this.sim = sim;
        this.ddrCapacity = ddrBytesPerPs;
        this.sramCapacity = sramBytesPerPs;
        this.portName = portNames.clone();
        this.portLimit = portLimitBytesPerPs.clone();
        this.portExclusive = portExclusive.clone();
        this.portDdrBytes = new double[portNames.length];
        this.portSramBytes = new double[portNames.length];
        this.groupLeft = new double[portNames.length];
        this.groupOpen = new int[portNames.length];
        this.ddrSeries = new BucketSeries(seriesBucketPs);
        this.sramSeries = new BucketSeries(seriesBucketPs);
    }

    public int ports() {
        return portName.length;
    }

    public String portName(int port) {
        return portName[port];
    }

    public void start(Activity a) {
        if (a.active) throw new IllegalStateException(a.name + " already active");
        long now = sim.now();
        advance(now);
        a.active = true;
        if (n == acts.length) grow();
        a.index = n;
        acts[n++] = a;
        recompute(now);
    }

    /** Stops an activity before it completes (reset, preemption); returns the work left. */
    public double abort(Activity a) {
        if (!a.active) return a.remaining;
        long now = sim.now();
        advance(now);
        remove(a);
        recompute(now);
        return a.remaining;
    }

    /** Changes the compute rate of an active activity (clock change, CPU share change). */
    public void setComputeRate(Activity a, double computePerPs) {
        if (!(computePerPs > 0)) throw new IllegalArgumentException("compute rate must be positive");
        long now = sim.now();
        advance(now);
        a.computePerPs = computePerPs;
        if (a.active) recompute(now);
    }

    /** Changes several compute rates at once with one recomputation. */
    public void setComputeRates(Activity[] list, int count, double[] rates) {
        long now = sim.now();
        advance(now);
        boolean any = false;
        for (int i = 0; i < count; i++) {
            list[i].computePerPs = rates[i];
            any |= list[i].active;
        }
        if (any) recompute(now);
    }

    /** Changes DDR capacity (e.g. a different effective rate); running activities re-time. */
    public void setDdrCapacity(double bytesPerPs) {
        long now = sim.now();
        advance(now);
        ddrCapacity = bytesPerPs;
        recompute(now);
    }

    private void complete(Activity a) {
        long now = sim.now();
        advance(now);
        a.remaining = 0;
        a.eventHandle = -1;
        remove(a);
        recompute(now);
        a.listener.onComplete(a, now);
    }

    private void remove(Activity a) {
        if (a.eventHandle >= 0) sim.cancel(a.eventHandle);
        a.eventHandle = -1;
        a.active = false;
        int i = a.index;
        Activity last = acts[--n];
        acts[i] = last;
        last.index = i;
        acts[n] = null;
        a.index = -1;
        a.rate = 0;
    }

    /** Moves every activity's progress and the statistics to {@code now}. */
    private void advance(long now) {
        integrate(now, true);
    }

    /**
     * Integrates the current rates up to {@code now}: the statistics (bytes moved, compute and
     * stall time, bandwidth series) always, each activity's remaining work only with
     * {@code progress}. An observer's sync leaves progress alone, so the remaining work, and so the
     * completion instants, are integrated only at rate changes and do not depend on who watched.
     */
    private void integrate(long now, boolean progress) {
        long dtP = progress ? now - lastPs : 0;
        long dtS = now - statsPs;
        if (progress) lastPs = Math.max(lastPs, now);
        if (dtS <= 0) statsPs = Math.max(statsPs, now);
        if (dtP <= 0 && dtS <= 0) return;
        double ddrRate = 0, sramRate = 0;
        for (int i = 0; i < n; i++) {
            Activity a = acts[i];
            double r = a.rate;
            if (dtP > 0 && !a.endless) a.remaining = Math.max(0, a.remaining - r * dtP);
            if (dtS <= 0) continue;
            double d = r * a.ddrBytes * dtS, s = r * a.sramBytes * dtS;
            a.ddrDone += d;
            a.sramDone += s;
            portDdrBytes[a.port] += d;
            portSramBytes[a.port] += s;
            ddrRate += r * a.ddrBytes;
            sramRate += r * a.sramBytes;
            double cs = a.computeShare();
            a.computePs += cs * dtS;
            double stall = (1 - cs) * dtS;
            if (a.binding == Binding.WALK) a.walkStallPs += stall;
            else a.memStallPs += stall;
        }
        if (dtS <= 0) return;
        ddrBytesTotal += ddrRate * dtS;
        sramBytesTotal += sramRate * dtS;
        if (ddrRate > 0) ddrSeries.addSpread(statsPs, now, ddrRate * dtS);
        if (sramRate > 0) sramSeries.addSpread(statsPs, now, sramRate * dtS);
        peakDdrBytesPerPs = Math.max(peakDdrBytesPerPs, ddrRate);
        statsPs = now;
    }

    /** Progressive filling of DDR, then SRAM; then each activity's rate and completion event. */
    private void recompute(long now) {
        if (cap.length < n) growScratch();
        for (int i = 0; i < n; i++) {
            Activity a = acts[i];
            double c = a.computePerPs;
            if (a.walks > 0) c = Math.min(c, a.walkerPerPs / a.walks);
            if (portExclusive[a.port] && a.ddrBytes + a.sramBytes > 0) {
                c = Math.min(c, portLimit[a.port] / (a.ddrBytes + a.sramBytes));
            }
            cap[i] = c;
        }
        fill(ddrCapacity, true, alloc);
        fill(sramCapacity, false, sramAlloc);
        for (int i = 0; i < n; i++) {
            Activity a = acts[i];
            double r = cap[i];
            Binding b = Binding.COMPUTE;
            if (a.walks > 0 && a.walkerPerPs / a.walks <= r * (1 + 1e-9) && a.walkerPerPs / a.walks < a.computePerPs) b = Binding.WALK;
            if (portExclusive[a.port] && a.ddrBytes + a.sramBytes > 0) {
                double pr = portLimit[a.port] / (a.ddrBytes + a.sramBytes);
                if (pr <= r * (1 + 1e-9) && pr < a.computePerPs && b == Binding.COMPUTE) b = Binding.PORT;
            }
            if (a.ddrBytes > 0) {
                double dr = alloc[i] / (a.ddrBytes * a.ddrCostPerByte);
                if (dr < r * (1 - 1e-9)) {
                    r = dr;
                    b = Binding.DDR;
                }
            }
            if (a.sramBytes > 0) {
                double sr = sramAlloc[i] / a.sramBytes;
                if (sr < r * (1 - 1e-9)) {
                    r = sr;
                    b = Binding.SRAM;
                }
            }
            if (!(r > 0) || Double.isInfinite(r)) {
                if (Double.isInfinite(r)) r = Double.MAX_VALUE; // nothing limits it: completes now
                else b = Binding.STARVED;
            }
            boolean changed = r != a.rate || b != a.binding;
            a.rate = r;
            a.binding = b;
            if (!a.endless) reschedule(a, now);
            if (changed && a.listener != null) a.listener.onRate(a, now);
        }
    }

    private void reschedule(Activity a, long now) {
        long end;
        if (!(a.rate > 0)) {
            end = Long.MAX_VALUE;
        } else {
            double t = Math.ceil(a.remaining / a.rate);
            end = t >= (double) (Long.MAX_VALUE / 4) ? Long.MAX_VALUE : now + (long) t;
        }
        if (end == a.endPs && a.eventHandle >= 0) return;
        if (a.eventHandle >= 0) sim.cancel(a.eventHandle);
        a.eventHandle = -1;
        a.endPs = end;
        if (end != Long.MAX_VALUE) a.eventHandle = sim.schedule(end, Priority.HARDWARE, onEnd, a, 0);
    }

    /** Max-min fair split of {@code capacity} among activities by demand, under port limits. */
    private void fill(double capacity, boolean ddr, double[] out) {
        Arrays.fill(out, 0, n, 0);
        int openCount = 0;
        for (int g = 0; g < groupLeft.length; g++) {
            groupLeft[g] = portExclusive[g] ? Double.POSITIVE_INFINITY : portLimit[g];
            groupOpen[g] = 0;
        }
        for (int i = 0; i < n; i++) {
            Activity a = acts[i];
            double bytes = ddr ? a.ddrBytes * a.ddrCostPerByte : a.sramBytes;
            demand[i] = bytes > 0 ? cap[i] * bytes : 0;
            open[i] = demand[i] > 0;
            if (open[i]) {
                openCount++;
                groupOpen[a.port]++;
            }
        }
        double left = capacity;
        double eps = EPS * Math.max(capacity, 1e-30);
        while (openCount > 0 && left > eps) {
            double delta = left / openCount;
            for (int i = 0; i < n; i++) if (open[i]) delta = Math.min(delta, demand[i] - out[i]);
            for (int g = 0; g < groupLeft.length; g++) {
                if (groupOpen[g] > 0 && !Double.isInfinite(groupLeft[g])) delta = Math.min(delta, groupLeft[g] / groupOpen[g]);
            }
            if (delta < 0) delta = 0;
            for (int i = 0; i < n; i++) {
                if (!open[i]) continue;
                out[i] += delta;
                left -= delta;
                groupLeft[acts[i].port] -= delta;
            }
            for (int i = 0; i < n; i++) {
                if (!open[i]) continue;
                int g = acts[i].port;
                if (out[i] >= demand[i] - eps || groupLeft[g] <= eps) {
                    open[i] = false;
                    openCount--;
                    groupOpen[g]--;
                }
            }
        }
    }

    private void grow() {
        acts = Arrays.copyOf(acts, acts.length * 2);
    }

    private void growScratch() {
        int m = Math.max(n, cap.length * 2);
        cap = new double[m];
        demand = new double[m];
        alloc = new double[m];
        sramAlloc = new double[m];
        open = new boolean[m];
    }

    /** Brings the statistics up to the current instant (call before reading them); progress is left alone. */
    public void sync() {
        integrate(sim.now(), false);
    }

    public int activeCount() {
        return n;
    }

    public double ddrCapacityBytesPerPs() {
        return ddrCapacity;
    }

    public double ddrBytesTotal() {
        return ddrBytesTotal;
    }

    public double sramBytesTotal() {
        return sramBytesTotal;
    }

    public double portDdrBytes(int port) {
        return portDdrBytes[port];
    }

    public double portSramBytes(int port) {
        return portSramBytes[port];
    }

    public double peakDdrBytesPerPs() {
        return peakDdrBytesPerPs;
    }

    /** DDR bytes moved per time bucket (bandwidth over time). */
    public BucketSeries ddrSeries() {
        return ddrSeries;
    }

    public BucketSeries sramSeries() {
        return sramSeries;
    }

    /** Current total DDR rate in bytes per ps (for counters in traces). */
    public double currentDdrRate() {
        double r = 0;
        for (int i = 0; i < n; i++) r += acts[i].rate * acts[i].ddrBytes;
        return r;
    }
}
