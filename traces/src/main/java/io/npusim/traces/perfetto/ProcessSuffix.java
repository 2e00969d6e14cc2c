package io.npusim.traces.perfetto;

import io.npusim.core.trace.TraceArgs;
import io.npusim.core.trace.TraceSink;

/**
 * Puts several runs in one trace: every process of a run gets a suffix ("NPU core 0 [rknpu]"), so
 * the runs sit side by side in Perfetto without sharing tracks.
 */
public final class ProcessSuffix implements TraceSink {
    private final TraceSink inner;
    private final String suffix;

    public ProcessSuffix(TraceSink inner, String suffix) {
        this.inner = inner;
        this.suffix = suffix;
    }

    @Override
    public boolean enabled() {
        return inner.enabled();
    }

    @Override
    public int track(String process, String thread) {
        return inner.track(process + suffix, thread);
    }

    @Override
    public void slice(int track, String cat, String name, long startPs, long durPs, TraceArgs args) {
        inner.slice(track, cat, name, startPs, durPs, args);
    }

    @Override
    public void instant(int track, String cat, String name, long tPs, TraceArgs args) {
        inner.instant(track, cat, name, tPs, args);
    }

    @Override
    public void counter(int track, String name, long tPs, String series, double value) {
        inner.counter(track, name, tPs, series, value);
    }

    @Override
    public void asyncBegin(int track, String cat, String name, long id, long tPs, TraceArgs args) {
        inner.asyncBegin(track, cat, name, id, tPs, args);
    }

    @Override
    public void asyncEnd(int track, String cat, String name, long id, long tPs) {
        inner.asyncEnd(track, cat, name, id, tPs);
    }

    @Override
    public void flow(int track, String cat, String name, long id, long tPs, FlowPhase phase) {
        inner.flow(track, cat, name, id, tPs, phase);
    }
}
