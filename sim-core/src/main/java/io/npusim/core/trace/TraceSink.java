package io.npusim.core.trace;

/**
 * Where components report what they did, for a timeline (Chrome trace / Perfetto) or nothing.
 * Callers guard every call that builds arguments with {@link #enabled()}, so a disabled sink
 * costs one well-predicted branch.
 *
 * <p>Tracks: a process (a layer of the stack, e.g. "NPU core 0") holds threads (e.g. "tasks");
 * {@link #track} returns an id for a (process, thread) pair, declared once per component.
 */
public interface TraceSink {
    /** Tracing off. */
    TraceSink NONE = new NoopSink(false);

    /**
     * Tracing on, everything dropped: every trace-only path and sampler runs, nothing is kept
     * (to check that tracing does not change a run, or to time the tracing paths alone).
     */
    TraceSink DISCARD = new NoopSink(true);

    /** Start, step or end of an arrow between slices (submit -> run -> fence). */
    enum FlowPhase { START, STEP, END }

    boolean enabled();

    int track(String process, String thread);

    /** A complete slice; slices on one track must nest. */
    void slice(int track, String cat, String name, long startPs, long durPs, TraceArgs args);

    void instant(int track, String cat, String name, long tPs, TraceArgs args);

    /** One value of a counter series; each (name, series) is a counter track. */
    void counter(int track, String name, long tPs, String series, double value);

    /** Overlapping spans (jobs in flight) go on async tracks keyed by (cat, id). */
    void asyncBegin(int track, String cat, String name, long id, long tPs, TraceArgs args);

    void asyncEnd(int track, String cat, String name, long id, long tPs);

    void flow(int track, String cat, String name, long id, long tPs, FlowPhase phase);
}

/** A sink that keeps nothing; {@code enabled} says whether callers should build their events. */
final class NoopSink implements TraceSink {
    private final boolean enabled;

    NoopSink(boolean enabled) {
        this.enabled = enabled;
    }

    @Override
    public boolean enabled() {
        return enabled;
    }

    @Override
    public int track(String process, String thread) {
        return enabled ? 1 : 0;
    }

    @Override
    public void slice(int track, String cat, String name, long startPs, long durPs, TraceArgs args) {}

    @Override
    public void instant(int track, String cat, String name, long tPs, TraceArgs args) {}

    @Override
    public void counter(int track, String name, long tPs, String series, double value) {}

    @Override
    public void asyncBegin(int track, String cat, String name, long id, long tPs, TraceArgs args) {}

    @Override
    public void asyncEnd(int track, String cat, String name, long id, long tPs) {}

    @Override
    public void flow(int track, String cat, String name, long id, long tPs, FlowPhase phase) {}
}
