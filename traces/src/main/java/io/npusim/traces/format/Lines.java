package io.npusim.traces.format;

import com.fasterxml.jackson.databind.JsonNode;

/** Typed reads of line fields; a missing or mistyped field is an IllegalArgumentException naming it. */
public final class Lines {
    private Lines() {}

    public static JsonNode field(JsonNode n, String f) {
        JsonNode v = n.get(f);
        if (v == null || v.isNull()) throw new IllegalArgumentException("missing field '" + f + "'");
        return v;
    }

    public static String text(JsonNode n, String f) {
        JsonNode v = field(n, f);
        if (!v.isTextual()) throw new IllegalArgumentException("field '" + f + "' must be a string");
        return v.asText();
    }

    public static String textOrNull(JsonNode n, String f) {
        JsonNode v = n.get(f);
        if (v == null || v.isNull()) return null;
        if (!v.isTextual()) throw new IllegalArgumentException("field '" + f + "' must be a string");
        return v.asText();
    }

    public static long longValue(JsonNode n, String f) {
        JsonNode v = field(n, f);
        if (!v.isIntegralNumber() || !v.canConvertToLong()) throw new IllegalArgumentException("field '" + f + "' must be an integer, got " + clip(v));
        return v.asLong();
    }

    public static Long longOrNull(JsonNode n, String f) {
        JsonNode v = n.get(f);
        if (v == null || v.isNull()) return null;
        return longValue(n, f);
    }

    public static long nonNegative(JsonNode n, String f) {
        long v = longValue(n, f);
        if (v < 0) throw new IllegalArgumentException("field '" + f + "' must not be negative, got " + v);
        return v;
    }

    public static int integer(JsonNode n, String f) {
        JsonNode v = field(n, f);
        if (!v.isIntegralNumber() || !v.canConvertToInt()) throw new IllegalArgumentException("field '" + f + "' must be a 32-bit integer, got " + clip(v));
        return v.asInt();
    }

    public static Integer integerOrNull(JsonNode n, String f) {
        JsonNode v = n.get(f);
        if (v == null || v.isNull()) return null;
        return integer(n, f);
    }

    public static double number(JsonNode n, String f) {
        JsonNode v = field(n, f);
        if (!v.isNumber()) throw new IllegalArgumentException("field '" + f + "' must be a number");
        double d = v.asDouble();
        if (!Double.isFinite(d)) throw new IllegalArgumentException("field '" + f + "' must be finite");
        return d;
    }

    public static boolean bool(JsonNode n, String f) {
        JsonNode v = field(n, f);
        if (!v.isBoolean()) throw new IllegalArgumentException("field '" + f + "' must be true or false");
        return v.asBoolean();
    }

    static String clip(JsonNode v) {
        String s = v.toString();
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
