package io.npusim.traces.format;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.npusim.workloads.scenario.Dist;
import java.io.IOException;
import java.util.List;

/**
 * The npusim trace format (docs/TRACE_FORMAT.md): JSON Lines, one object per line, the first a
 * header naming the format, its version and the platform. Every line has a type in {@code "t"}.
 * Times are integer picoseconds of simulated (or, for imported captures, board) time.
 */
public final class TraceFormat {
    public static final String NAME = "npusim-trace";
    public static final int VERSION = 1;
    public static final String PLATFORM = "rk3588";

    /** The two levels a trace may hold. */
    public static final String LEVEL_UAPI = "uapi";
    public static final String LEVEL_WORKLOAD = "workload";

    // line types: description
    public static final String HEADER = "header";
    public static final String PROCESS = "process";
    public static final String THREAD = "thread";
    public static final String CLIENT = "client";
    public static final String OP = "op";
    // UAPI level: calls a process made, in completion order, each with the call it followed
    public static final String OPEN = "open";
    public static final String CLOSE = "close";
    public static final String IOCTL = "ioctl";
    public static final String MMAP = "mmap";
    public static final String CPU = "cpu";
    public static final String SLEEP = "sleep";
    public static final String WRITE = "write";
    public static final String SET_REQUEST = "set_request";
    public static final String STAT = "stat";
    // workload level
    public static final String ARRIVAL = "arrival";
    public static final String JOB = "job";
    // trailer
    public static final String END = "end";

    /** Calls: the line types of the UAPI level that carry an id and the call they followed. */
    public static final List<String> CALLS = List.of(OPEN, CLOSE, IOCTL, MMAP, CPU, SLEEP, WRITE, SET_REQUEST, STAT);
    /** Calls that complete later (the rest take no time). */
    public static final List<String> TIMED_CALLS = List.of(OPEN, CLOSE, IOCTL, MMAP, CPU, SLEEP);
    /** Every line type of version 1. */
    public static final List<String> TYPES = List.of(HEADER, PROCESS, THREAD, CLIENT, OP, OPEN, CLOSE, IOCTL, MMAP, CPU, SLEEP,
            WRITE, SET_REQUEST, STAT, ARRIVAL, JOB, END);

    private TraceFormat() {}

    /**
     * The mapper for values inside lines (ioctl arguments, task operations, buffer contents):
     * record components in snake_case, strict on reading (unknown or missing fields, nulls for
     * numbers and numbers for enums are errors, never defaults).
     */
    public static ObjectMapper values() {
        return JsonMapper.builder()
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
                .build();
    }

    /** The mapper for the scenario embedded in a header (the scenario file's own rules). */
    public static ObjectMapper scenarios() {
        SimpleModule m = new SimpleModule("npusim-trace-scenario");
        m.addSerializer(Dist.class, new DistSerializer());
        return JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
                .addModule(m)
                .build();
    }

    /** The mapper that reads and writes whole lines. */
    public static ObjectMapper lines() {
        return JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .disable(JsonParser.Feature.ALLOW_NON_NUMERIC_NUMBERS)
                .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
                .build();
    }

    /** A count drawn per request, written the way a scenario file writes it. */
    static final class DistSerializer extends JsonSerializer<Dist> {
        @Override
        public void serialize(Dist d, JsonGenerator g, SerializerProvider p) throws IOException {
            if (d.fixed() > 0) {
                g.writeNumber((int) d.fixed());
            } else if (d.max() > 0) {
                g.writeStartObject();
                g.writeNumberField("min", d.min());
                g.writeNumberField("max", d.max());
                g.writeEndObject();
            } else {
                g.writeStartObject();
                g.writeNumberField("mean", d.mean());
                g.writeNumberField("cv", d.cv());
                g.writeEndObject();
            }
        }
    }
}
