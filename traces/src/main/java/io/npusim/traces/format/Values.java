package io.npusim.traces.format;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.npusim.hw.npu.RegcmdStream;
import io.npusim.hw.npu.TaskOp;
import io.npusim.uapi.Ioctl;
import io.npusim.uapi.codec.Codec;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How the values a process hands the kernel appear in a trace: ioctl arguments as their decoded
 * records (fields in snake_case), found again by the request number; buffer contents written
 * through a mapping (a register-command stream as a reference to the task operation it programs,
 * other values as their record with the class named).
 */
public final class Values {
    /**
     * Classes of the ioctl argument records, by name (request numbers repeat across drivers: each
     * numbers its ioctls from DRM_COMMAND_BASE): every family the uapi module knows.
     */
    private static final Map<String, Class<? extends Ioctl>> IOCTLS = ioctlClasses();

    private final ObjectMapper mapper = TraceFormat.values();

    public ObjectMapper mapper() {
        return mapper;
    }

    private static Map<String, Class<? extends Ioctl>> ioctlClasses() {
        Map<String, Class<? extends Ioctl>> m = new LinkedHashMap<>();
        for (Map<Long, Codec<? extends Ioctl>> family : java.util.List.of(io.npusim.uapi.drm.Codecs.all(), io.npusim.uapi.rocket.Codecs.all(),
                io.npusim.uapi.rknpu.Codecs.all(), io.npusim.uapi.proposed.Codecs.all())) {
            for (Map.Entry<Long, Codec<? extends Ioctl>> e : family.entrySet()) {
                try {
                    // decoding zero bytes yields an instance, hence the record class of the struct
                    Ioctl sample = e.getValue().decode(ByteBuffer.allocate(e.getValue().size()));
                    if (sample.request() == e.getKey()) m.put(sample.name(), sample.getClass());
                } catch (RuntimeException ignored) {
                    // a struct that cannot be all zeros: not replayable from a trace
                }
            }
        }
        return Collections.unmodifiableMap(m);
    }

    /** The record class of an ioctl by its name, or null. */
    public static Class<? extends Ioctl> ioctlClass(String name) {
        return IOCTLS.get(name);
    }

    public static String hex(long request) {
        return "0x" + Long.toHexString(request);
    }

    /** An ioctl argument as a tree. */
    public ObjectNode tree(Object value) {
        return mapper.valueToTree(value);
    }

    /** The fields of {@code out} that differ from {@code in} (the kernel's out-fields), or null when none do. */
    public ObjectNode changed(ObjectNode in, ObjectNode out) {
        ObjectNode d = JsonNodeFactory.instance.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = out.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().equals(in.get(e.getKey()))) d.set(e.getKey(), e.getValue());
        }
        return d.isEmpty() ? null : d;
    }

    /** The ioctl argument of request {@code request}, or an exception saying why not. */
    public Ioctl ioctl(long request, String name, JsonNode arg) {
        Class<? extends Ioctl> c = IOCTLS.get(name);
        if (c == null) throw new IllegalArgumentException("unknown ioctl '" + Clip.clip(name) + "'");
        Ioctl v = read(arg, c, "ioctl " + name);
        if (v.request() != request) throw new IllegalArgumentException("ioctl " + name + " has request number " + hex(v.request()) + ", not " + hex(request));
        return v;
    }

    public TaskOp op(JsonNode n) {
        return read(n, TaskOp.class, "task operation");
    }

    /** A value written through a mapping: {"kind":"regcmd", ...} with the op's id, or {"kind":"value","class":..,"value":..}. */
    public ObjectNode writeValue(Object v, OpTable ops) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        if (v instanceof RegcmdStream r) {
            n.put("kind", "regcmd");
            n.put("entries", r.entries());
            n.put("op", ops.id(r.op()));
            n.put("next_address", r.nextAddress());
            n.put("next_amounts", r.nextAmounts());
        } else if (v == null) {
            n.put("kind", "null");
        } else {
            n.put("kind", "value");
            n.put("class", v.getClass().getName());
            n.set("value", mapper.valueToTree(v));
        }
        return n;
    }

    /** Reads what {@link #writeValue} wrote; {@code ops} resolves op ids. */
    public Object readWriteValue(JsonNode n, java.util.function.IntFunction<TaskOp> ops) {
        String kind = Lines.text(n, "kind");
        switch (kind) {
            case "regcmd" -> {
                int opId = Lines.integer(n, "op");
                TaskOp op = ops.apply(opId);
                if (op == null) throw new IllegalArgumentException("op " + opId + " is not defined on an earlier line");
                return new RegcmdStream(Lines.integer(n, "entries"), op, Lines.longValue(n, "next_address"), Lines.integer(n, "next_amounts"));
            }
            case "null" -> {
                return null;
            }
            case "value" -> {
                String cls = Lines.text(n, "class");
                if (!cls.startsWith("io.npusim.")) throw new IllegalArgumentException("class " + cls + " is not a simulator value");
                Class<?> c;
                try {
                    c = Class.forName(cls, false, Values.class.getClassLoader());
                } catch (ClassNotFoundException | LinkageError e) {
                    throw new IllegalArgumentException("unknown value class " + cls);
                }
                if (!c.isRecord()) throw new IllegalArgumentException("class " + cls + " is not a value record");
                JsonNode value = n.get("value");
                if (value == null) throw new IllegalArgumentException("missing field 'value'");
                return read(value, c, cls.substring(cls.lastIndexOf('.') + 1));
            }
            default -> throw new IllegalArgumentException("unknown write kind '" + kind + "'");
        }
    }

    private <T> T read(JsonNode n, Class<T> c, String what) {
        try {
            return mapper.treeToValue(n, c);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(what + ": " + oneLine(e.getOriginalMessage()));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(what + ": " + oneLine(String.valueOf(e.getMessage())));
        }
    }

    static String oneLine(String s) {
        if (s == null) return "malformed";
        int nl = s.indexOf('\n');
        s = nl >= 0 ? s.substring(0, nl) : s;
        s = s.replaceAll(" \\(class [^)]*\\)", "").replaceAll("`[a-z0-9_.]+\\.([A-Za-z0-9_$]+)`", "$1");
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    /** Short, printable excerpts of untrusted text for messages. */
    static final class Clip {
        static String clip(String s) {
            String t = s.length() > 60 ? s.substring(0, 60) + "..." : s;
            StringBuilder b = new StringBuilder();
            for (char ch : t.toCharArray()) b.append(ch < 0x20 || ch == 0x7f ? '?' : ch);
            return b.toString();
        }
    }

    /** Task operations numbered as they are first seen; each is written once, on an "op" line, before its first use. */
    public interface OpTable {
        int id(TaskOp op);
    }
}
