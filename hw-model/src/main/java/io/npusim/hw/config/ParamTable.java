package io.npusim.hw.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.npusim.core.UserError;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Every tunable constant of a run, flattened to dotted keys ({@code npu.macs_per_cycle.int8}),
 * each with unit and origin. Loaded from YAML files whose leaves are
 * {@code {value: .., unit: .., origin: ..}}; immutable; overrides return a new table and may
 * change only keys that exist, to a value of the same type.
 */
public final class ParamTable {
    private final Map<String, Param> params;

    private ParamTable(Map<String, Param> params) {
        this.params = params;
    }

    /** Loads and merges classpath resources; a key defined twice is an error. */
    public static ParamTable loadResources(String... resources) {
        Map<String, Param> all = new LinkedHashMap<>();
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        for (String r : resources) {
            try (InputStream in = ParamTable.class.getClassLoader().getResourceAsStream(r)) {
                if (in == null) throw new IllegalStateException("missing configuration resource " + r);
                flatten(r, "", yaml.readTree(in), all);
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + r + ": " + e.getMessage(), e);
            }
        }
        return new ParamTable(Collections.unmodifiableMap(all));
    }

    /** Builds a table from explicit parameters (tests). */
    public static ParamTable of(List<Param> list) {
        Map<String, Param> m = new LinkedHashMap<>();
        for (Param p : list) m.put(p.key(), p);
        return new ParamTable(Collections.unmodifiableMap(m));
    }

    private static void flatten(String file, String prefix, JsonNode node, Map<String, Param> out) {
        if (node == null || !node.isObject()) throw new IllegalStateException(file + ": " + prefix + " is not a mapping");
        if (node.has("value")) {
            JsonNode v = node.get("value");
            Object value = v.isBoolean() ? (Object) v.booleanValue()
                    : v.isIntegralNumber() ? (Object) v.longValue()
                    : v.isNumber() ? (Object) v.doubleValue()
                    : v.isArray() ? (Object) listOf(v)
                    : v.asText();
            String unit = node.path("unit").asText(null);
            String origin = node.path("origin").asText(null);
            if (unit == null || origin == null) throw new IllegalStateException(file + ": " + prefix + " needs unit and origin");
            if (out.put(prefix, new Param(prefix, value, unit, origin)) != null) {
                throw new IllegalStateException(file + ": " + prefix + " defined twice");
            }
            return;
        }
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            flatten(file, prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out);
        }
    }

    private static List<Object> listOf(JsonNode arr) {
        List<Object> l = new ArrayList<>();
        for (JsonNode n : arr) l.add(n.isIntegralNumber() ? (Object) n.longValue() : n.isNumber() ? (Object) n.doubleValue() : n.asText());
        return Collections.unmodifiableList(l);
    }

    public boolean has(String key) {
        return params.containsKey(key);
    }

    public Param get(String key) {
        Param p = params.get(key);
        if (p == null) throw new UserError("unknown configuration key '" + key + "'" + suggest(key));
        return p;
    }

    /** A number, checked to have the unit the caller computes with. */
    public double num(String key, String unit) {
        Param p = get(key);
        if (!p.unit().equals(unit)) {
            throw new IllegalStateException(key + " is in " + p.unit() + ", code expects " + unit);
        }
        if (!p.isNumber()) throw new UserError("configuration key " + key + " must be a number, got '" + p.value() + "'");
        return p.asDouble();
    }

    public long integer(String key, String unit) {
        double v = num(key, unit);
        if (v != Math.rint(v)) throw new UserError("configuration key " + key + " must be a whole number, got " + v);
        return (long) v;
    }

    public double positive(String key, String unit) {
        double v = num(key, unit);
        if (!(v > 0)) throw new UserError("configuration key " + key + " must be positive, got " + v + " " + unit);
        return v;
    }

    public double nonNegative(String key, String unit) {
        double v = num(key, unit);
        if (!(v >= 0)) throw new UserError("configuration key " + key + " must not be negative, got " + v + " " + unit);
        return v;
    }

    public double fraction(String key) {
        double v = num(key, "fraction");
        if (!(v >= 0 && v <= 1)) throw new UserError("configuration key " + key + " must lie in [0, 1], got " + v);
        return v;
    }

    public boolean flag(String key) {
        Param p = get(key);
        if (!(p.value() instanceof Boolean b)) throw new UserError("configuration key " + key + " must be true or false, got '" + p.value() + "'");
        return b;
    }

    public String text(String key) {
        return String.valueOf(get(key).value());
    }

    @SuppressWarnings("unchecked")
    public List<Object> list(String key) {
        Object v = get(key).value();
        if (!(v instanceof List<?>)) throw new UserError("configuration key " + key + " must be a list");
        return (List<Object>) v;
    }

    /** Keys under a prefix (without the prefix), in file order. */
    public List<String> children(String prefix) {
        String p = prefix + ".";
        List<String> out = new ArrayList<>();
        for (String k : params.keySet()) {
            if (k.startsWith(p)) {
                String rest = k.substring(p.length());
                String child = rest.contains(".") ? rest.substring(0, rest.indexOf('.')) : rest;
                if (!out.contains(child)) out.add(child);
            }
        }
        return out;
    }

    /** Returns a table with {@code key} set from its text form; the type must match the default's. */
    public ParamTable with(String key, String valueText) {
        Param p = get(key);
        Object v = parseLike(p, valueText.trim());
        Map<String, Param> m = new LinkedHashMap<>(params);
        m.put(key, p.withValue(v));
        return new ParamTable(Collections.unmodifiableMap(m));
    }

    /** Same as {@link #with(String, String)} for a typed value. */
    public ParamTable with(String key, Object value) {
        Param p = get(key);
        Map<String, Param> m = new LinkedHashMap<>(params);
        m.put(key, p.withValue(value));
        return new ParamTable(Collections.unmodifiableMap(m));
    }

    /** Applies "key=value" overrides (the CLI's --set). */
    public ParamTable withAll(List<String> assignments) {
        ParamTable t = this;
        for (String a : assignments) {
            int eq = a.indexOf('=');
            if (eq <= 0) throw new UserError("--set expects key=value, got '" + a + "'");
            t = t.with(a.substring(0, eq).trim(), a.substring(eq + 1));
        }
        return t;
    }

    private static Object parseLike(Param p, String text) {
        Object d = p.value();
        try {
            if (d instanceof Boolean) {
                if (text.equalsIgnoreCase("true")) return true;
                if (text.equalsIgnoreCase("false")) return false;
                throw new NumberFormatException();
            }
            if (d instanceof Long) {
                if (text.startsWith("0x") || text.startsWith("0X")) return Long.parseLong(text.substring(2), 16);
                double x = Double.parseDouble(text);
                if (x == Math.rint(x)) return (long) x;
                return x;
            }
            if (d instanceof Double) return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new UserError("configuration key " + p.key() + " expects " + typeName(d) + " (" + p.unit() + "), got '" + text + "'");
        }
        return text;
    }

    private static String typeName(Object d) {
        return d instanceof Boolean ? "true or false" : d instanceof Number ? "a number" : "text";
    }

    /** Up to five known keys nearest to {@code key}: the longest shared prefix first, then the same last part. */
    private String suggest(String key) {
        String last = key.contains(".") ? key.substring(key.lastIndexOf('.') + 1) : key;
        String head = key.contains(".") ? key.substring(0, key.indexOf('.') + 1) : key;
        List<String> near = new ArrayList<>();
        for (String k : params.keySet()) if (k.startsWith(head) || k.endsWith("." + last)) near.add(k);
        if (near.isEmpty()) return "";
        near.sort(java.util.Comparator.comparingInt((String k) -> -sharedPrefix(key, k))
                .thenComparingInt(k -> k.endsWith("." + last) ? 0 : 1)
                .thenComparing(java.util.Comparator.naturalOrder()));
        return "; known keys like it: " + String.join(", ", near.subList(0, Math.min(5, near.size())));
    }

    private static int sharedPrefix(String a, String b) {
        int n = Math.min(a.length(), b.length()), i = 0;
        while (i < n && a.charAt(i) == b.charAt(i)) i++;
        return i;
    }

    public List<Param> all() {
        return List.copyOf(params.values());
    }

    public List<Param> assumed() {
        List<Param> out = new ArrayList<>();
        for (Param p : params.values()) if (p.originKind() == Param.Origin.ASSUMED && p.isNumber()) out.add(p);
        return out;
    }

    /** The resolved values as a flat ordered map (for the summary). */
    public Map<String, Object> values() {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Param p : params.values()) m.put(p.key(), p.value());
        return m;
    }

    @Override
    public String toString() {
        return "ParamTable[" + params.size() + " params]";
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
