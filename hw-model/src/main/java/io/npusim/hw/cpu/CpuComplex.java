package io.npusim.hw.cpu;

import io.npusim.core.account.Attribution;
import io.npusim.core.account.Part;
import io.npusim.core.event.Priority;
import io.npusim.core.event.Simulator;
import io.npusim.core.stats.BucketSeries;
import io.npusim.hw.ddr.Activity;
import io.npusim.hw.ddr.MemoryFabric;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The SoC's CPUs: cpu0-3 are Cortex-A55, cpu4-7 Cortex-A76 (the RK3588 numbering). Each CPU
 * shares itself equally among the work running on it (processor sharing); work is sized in
 * picoseconds on an unloaded A76 at its top clock and runs slower on an A55. CPU work that moves
 * memory competes for DDR through the same {@link MemoryFabric} as the NPU.
 */
public final class CpuComplex {
    /** Accounting category of CPU work, for summaries (kernel CPU time vs userspace). */
    public enum Kind { USER, KERNEL }

    private final Simulator sim;
    private final MemoryFabric fabric;
    private final int littleCount;
    private final double[] speed;
    private final int[] port;
    private final List<List<Job>> running = new ArrayList<>();
    private final long[] busySincePs;
    private final long[] busyPs;
    private final BucketSeries[] busySeries;
    private final long[] kindPs = new long[Kind.values().length];
    private final double[] kindCpuPs = new double[Kind.values().length];
    private final long[] jobsByKind = new long[Kind.values().length];

    private final class Job implements Activity.Listener {
        final int cpu;
        final double refPs;
        final Runnable then;
        final Attribution request;
        final Attribution.Claim claim;
        final Kind kind;
        final long startPs;
        Activity act;

        Job(int cpu, double refPs, Runnable then, Attribution request, Attribution.Claim claim, Kind kind) {
            this.cpu = cpu;
            this.refPs = refPs;
            this.then = then;
            this.request = request;
            this.claim = claim;
            this.kind = kind;
            this.startPs = sim.now();
        }

        @Override
        public void onComplete(Activity a, long nowPs) {
            finish(this, nowPs);
        }
    }

    public CpuComplex(Simulator sim, MemoryFabric fabric, int little, int big, double littleSpeed,
                      int littlePort, int bigPort, long seriesBucketPs) {
        this.sim = sim;
        this.fabric = fabric;
        this.littleCount = little;
        int n = little + big;
        speed = new double[n];
        port = new int[n];
        busySincePs = new long[n];
        busyPs = new long[n];
        busySeries = new BucketSeries[n];
        for (int i = 0; i < n; i++) {
            boolean isLittle = i < little;
            speed[i] = isLittle ? littleSpeed : 1.0;
            port[i] = isLittle ? littlePort : bigPort;
            running.add(new ArrayList<>(4));
            busySeries[i] = new BucketSeries(seriesBucketPs);
        }
    }

    public int cpus() {
        return speed.length;
    }

    /** Throughput of {@code cpu} relative to an A76 (1.0 for a big core). */
    public double speed(int cpu) {
        return speed[cpu];
    }

    public boolean isBig(int cpu) {
        return cpu >= littleCount;
    }

    /** The big cores, where runtimes pin their threads by default. */
    public int[] bigCpus() {
        int[] b = new int[speed.length - littleCount];
        for (int i = 0; i < b.length; i++) b[i] = littleCount + i;
        return b;
    }

    public int load(int cpu) {
        return running.get(cpu).size();
    }

    /**
     * Runs work on {@code cpu}: {@code refPs} of an unloaded A76, moving {@code ddrBytes}. The time
     * it takes is charged to {@code part} of {@code request} (when given), then {@code then} runs.
     */
    public void run(int cpu, String name, long refPs, long ddrBytes, Attribution request, Part part, Kind kind, Runnable then) {
        Attribution.Claim claim = request != null && !request.isFinished() ? request.open(part, sim.now()) : null;
        jobsByKind[kind.ordinal()]++;
        kindCpuPs[kind.ordinal()] += Math.max(0, refPs) / speed[cpu];
        if (refPs <= 0 && ddrBytes <= 0) {
            sim.schedule(sim.now(), kind == Kind.KERNEL ? Priority.KERNEL : Priority.USER, (p, a) -> {
                if (claim != null && !request.isFinished()) request.close(claim, sim.now());
                then.run();
            });
            return;
        }
        Job j = new Job(cpu, Math.max(1, refPs), then, request, claim, kind);
        List<Job> list = running.get(cpu);
        if (list.isEmpty()) busySincePs[cpu] = sim.now();
        list.add(j);
        j.act = new Activity(name, port[cpu], 1.0, ddrBytes, 0, 0, Double.POSITIVE_INFINITY, j);
        j.act.setTag(j);
        reshare(cpu, j);
    }

    /** Sets every job on the CPU to an equal share; starts {@code added} if given. */
    private void reshare(int cpu, Job added) {
        List<Job> list = running.get(cpu);
        int k = list.size();
        Activity[] acts = new Activity[k];
        double[] rates = new double[k];
        int m = 0;
        for (Job j : list) {
            if (j == added) continue;
            acts[m] = j.act;
            rates[m] = speed[cpu] / (k * j.refPs);
            m++;
        }
        if (m > 0) fabric.setComputeRates(acts, m, rates);
        if (added != null) {
            fabric.setComputeRate(added.act, speed[cpu] / (k * added.refPs));
            fabric.start(added.act);
        }
    }

    private void finish(Job j, long now) {
        List<Job> list = running.get(j.cpu);
        list.remove(j);
        kindPs[j.kind.ordinal()] += now - j.startPs;
        if (list.isEmpty()) {
            busyPs[j.cpu] += now - busySincePs[j.cpu];
            busySeries[j.cpu].addInterval(busySincePs[j.cpu], now);
        } else {
            reshare(j.cpu, null);
        }
        if (j.claim != null && !j.request.isFinished()) j.request.close(j.claim, now);
        j.then.run();
    }

    /** Picoseconds the CPU had work. */
    public long busyPs(int cpu) {
        long b = busyPs[cpu];
        if (!running.get(cpu).isEmpty()) b += sim.now() - busySincePs[cpu];
        return b;
    }

    /** CPU time consumed by work of a kind, in picoseconds of the CPUs it ran on. */
    public double cpuPs(Kind k) {
        return kindCpuPs[k.ordinal()];
    }

    /** Wall time of CPU work of a kind (residence time, including sharing). */
    public long kindPs(Kind k) {
        return kindPs[k.ordinal()];
    }

    public long jobs(Kind k) {
        return jobsByKind[k.ordinal()];
    }

    public BucketSeries busySeries(int cpu) {
        return busySeries[cpu];
    }

    /** Least-loaded CPU among {@code allowed} (ties to the lowest index). */
    public int leastLoaded(int[] allowed) {
        int best = allowed[0];
        for (int c : allowed) if (load(c) < load(best)) best = c;
        return best;
    }

    @Override
    public String toString() {
        int[] loads = new int[speed.length];
        for (int i = 0; i < loads.length; i++) loads[i] = load(i);
        return "CpuComplex" + Arrays.toString(loads);
    }
}
