package io.npusim.core.trace;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Key/value arguments of a trace event, in insertion order. Built only when tracing is on
 * (callers test {@link TraceSink#enabled()} first), so it may allocate freely.
 */
public final class TraceArgs {
    public static final TraceArgs EMPTY = new TraceArgs(Collections.emptyList());

    /** One argument; values are String, Long, Integer, Double or Boolean. */
    public record Arg(String key, Object value) {}

    private final List<Arg> args;

    private TraceArgs(List<Arg> args) {
        this.args = args;
    }

    public static TraceArgs of(Object... kv) {
        if (kv.length % 2 != 0) throw new IllegalArgumentException("trace args need key/value pairs");
        List<Arg> list = new ArrayList<>(kv.length / 2);
        for (int i = 0; i < kv.length; i += 2) list.add(new Arg((String) kv[i], kv[i + 1]));
        return new TraceArgs(list);
    }

    public TraceArgs with(String key, Object value) {
        List<Arg> list = new ArrayList<>(args);
        list.add(new Arg(key, value));
        return new TraceArgs(list);
    }

    public List<Arg> args() {
        return Collections.unmodifiableList(args);
    }

    public boolean isEmpty() {
        return args.isEmpty();
    }
}
