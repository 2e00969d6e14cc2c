package io.npusim.workloads.arrival;

import io.npusim.core.account.Part;
import io.npusim.core.stats.LatencyRecorder;

/** What one client observed: latencies, their breakdown, drops, misses, tokens. */
public final class ClientStats {
    private final String name;
    private final String kind;
    private final String model;
    private final LatencyRecorder latency = new LatencyRecorder();
    private final LatencyRecorder ttft = new LatencyRecorder();
    private final long[] breakdownPs = new long[Part.COUNT];
    private long requests;
    private long dropped;
    private long deadlineMisses;
    private long failures;
    private long tokens;
    private long decodePs;
    private String failure;
    private final java.util.List<Double> latencyMsSeries = new java.util.ArrayList<>();
    private final java.util.List<Double> arrivalSSeries = new java.util.ArrayList<>();

    /** Told of every completed request (the board traces them). */
    @FunctionalInterface
    public interface Listener {
        void completed(long startPs, long latencyPs, long[] parts);
    }

    private Listener listener;

    public void setListener(Listener l) {
        this.listener = l;
    }

    /** Told of everything the client records (the trace recorder writes it beside the calls that led to it). */
    public interface Observer {
        void completed(long startPs, long latencyPs, long[] parts);

        void ttft(long ps);

        void tokens(long n, long ps);

        void dropped();

        void deadlineMissed();

        void failed(String why);
    }

    private Observer observer;

    public void setObserver(Observer o) {
        this.observer = o;
    }

    public ClientStats(String name, String kind, String model) {
        this.name = name;
        this.kind = kind;
        this.model = model;
    }

    public String name() {
        return name;
    }

    public String kind() {
        return kind;
    }

    public String model() {
        return model;
    }

    /** A completed request: its latency and parts (which sum to it). */
    public void complete(long startPs, long latencyPs, long[] parts) {
        if (observer != null) observer.completed(startPs, latencyPs, parts);
        requests++;
        latency.record(latencyPs);
        for (int i = 0; i < Part.COUNT; i++) breakdownPs[i] += parts[i];
        if (listener != null) listener.completed(startPs, latencyPs, parts);
        if (latencyMsSeries.size() < 100_000) {
            latencyMsSeries.add(latencyPs / 1e9);
            arrivalSSeries.add(startPs / 1e12);
        }
    }

    public void ttft(long ps) {
        if (observer != null) observer.ttft(ps);
        ttft.record(ps);
    }

    public void tokens(long n, long ps) {
        if (observer != null) observer.tokens(n, ps);
        tokens += n;
        decodePs += ps;
    }

    public void drop() {
        if (observer != null) observer.dropped();
        dropped++;
    }

    public void deadlineMiss() {
        if (observer != null) observer.deadlineMissed();
        deadlineMisses++;
    }

    public void fail(String why) {
        if (observer != null) observer.failed(why);
        failures++;
        if (failure == null) failure = why;
    }

    public LatencyRecorder latency() {
        return latency;
    }

    public LatencyRecorder ttftRecorder() {
        return ttft;
    }

    public long[] breakdownPs() {
        return breakdownPs.clone();
    }

    public long requests() {
        return requests;
    }

    public long dropped() {
        return dropped;
    }

    public long deadlineMisses() {
        return deadlineMisses;
    }

    public long failures() {
        return failures;
    }

    public String failure() {
        return failure;
    }

    public long tokens() {
        return tokens;
    }

    public long decodePs() {
        return decodePs;
    }

    public java.util.List<Double> latencyMsSeries() {
        return java.util.List.copyOf(latencyMsSeries);
    }

    public java.util.List<Double> arrivalSSeries() {
        return java.util.List.copyOf(arrivalSSeries);
    }
}
