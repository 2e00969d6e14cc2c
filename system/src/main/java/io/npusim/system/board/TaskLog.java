package io.npusim.system.board;

import io.npusim.hw.npu.NpuObserver;
import io.npusim.hw.npu.TaskRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Collects what the cores did, per client: bytes, MACs, tasks; lost work; foreign accesses. */
public final class TaskLog implements NpuObserver {
    /** Totals of one client's tasks. */
    public static final class ClientTotals {
        public long tasks;
        public long macs;
        public double ddrBytes;
        public double sramBytes;
        public long busyPs;
        public long misses;
        public double energyPj;
        final List<TaskRecord> firstTasks = new ArrayList<>();
        long firstJob = -1;
        boolean firstDone;

        public List<TaskRecord> firstInference() {
            return List.copyOf(firstTasks);
        }
    }

    /** Totals of one layer of one client over the run. */
    public static final class LayerTotals {
        public final String client;
        public final String layer;
        public final String kind;
        public long tasks;
        public long cycles;
        public long macs;
        public long macsPerCycleTimesCycles;
        public double ddrBytes;
        public long timePs;
        public int coreMask;

        LayerTotals(String client, String layer, String kind) {
            this.client = client;
            this.layer = layer;
            this.kind = kind;
        }
    }

    private final Map<String, ClientTotals> byClient = new LinkedHashMap<>();
    private final Map<String, LayerTotals> byLayer = new LinkedHashMap<>();
    private long lostTasks;
    private final List<String> lost = new ArrayList<>();
    private long foreignAccesses;
    private final List<String> foreign = new ArrayList<>();
    private long hangs;

    @Override
    public void taskDone(TaskRecord r) {
        ClientTotals t = byClient.computeIfAbsent(r.client(), k -> new ClientTotals());
        t.tasks++;
        t.macs += r.macs();
        t.ddrBytes += r.ddrBytes();
        t.sramBytes += r.sramBytes();
        t.busyPs += r.durationPs();
        t.misses += r.iotlbMisses();
        t.energyPj += r.energyPj();
        if (!t.firstDone && t.firstTasks.size() < 20_000) t.firstTasks.add(r);
        String layer = r.label();
        int bracket = layer.lastIndexOf(" [");
        if (bracket > 0) layer = layer.substring(0, bracket);
        String key = r.client() + "\u0000" + layer;
        LayerTotals lt = byLayer.get(key);
        if (lt == null && byLayer.size() < 50_000) byLayer.put(key, lt = new LayerTotals(r.client(), layer, r.kind().name()));
        if (lt != null) {
            lt.tasks++;
            lt.cycles += r.pipelineCycles();
            lt.macs += r.macs();
            lt.ddrBytes += r.ddrBytes();
            lt.timePs += r.durationPs();
            lt.coreMask |= 1 << r.core();
        }
    }

    /** Per-layer totals, in first-seen order. */
    public java.util.Collection<LayerTotals> layers() {
        return byLayer.values();
    }

    /** Marks the end of a client's first inference (its profile stops growing). */
    public void endFirstInference(String client) {
        ClientTotals t = byClient.get(client);
        if (t != null) t.firstDone = true;
    }

    @Override
    public void workLost(int core, int tasks, String reason, long nowPs) {
        lostTasks += tasks;
        if (lost.size() < 20) lost.add("core " + core + ": " + tasks + " task(s) lost, " + reason);
    }

    @Override
    public void foreignAccess(int core, int ownerPid, long iova, long nowPs) {
        foreignAccesses++;
        if (foreign.size() < 20) foreign.add("core " + core + " read pid " + ownerPid + "'s buffer at 0x" + Long.toHexString(iova));
    }

    @Override
    public void hung(int core, long address, long nowPs) {
        hangs++;
    }

    public ClientTotals client(String name) {
        return byClient.getOrDefault(name, new ClientTotals());
    }

    public long lostTasks() {
        return lostTasks;
    }

    public List<String> lostReports() {
        return List.copyOf(lost);
    }

    public long foreignAccesses() {
        return foreignAccesses;
    }

    public List<String> foreignReports() {
        return List.copyOf(foreign);
    }

    public long hangs() {
        return hangs;
    }
}
