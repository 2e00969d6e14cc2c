package io.npusim.system.spec;

import io.npusim.core.UserError;
import io.npusim.hw.config.Param;
import io.npusim.hw.config.ParamTable;
import io.npusim.system.board.Configs;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A policy with some of its switches turned: {@code rocket+keep_iommu_attached+npu_mhz=1000}.
 * The text is a policy name followed by {@code +}-joined parts; a part is
 * <ul>
 *   <li>a switch name, {@code NAME} meaning {@code POLICY.NAME=true} (a true/false key under the
 *       policy's section of the configuration, e.g. rocket's patch switches in kernel.yaml);</li>
 *   <li>{@code NAME=VALUE} for any key under the policy's section ({@code npu_mhz=1000}), or
 *       {@code KEY=VALUE} with a full dotted key ({@code kernel.cost.hard_irq_us=1});</li>
 *   <li>{@code all}: every switch of the built-in {@code upstream-patches} set at once (rocket).</li>
 * </ul>
 * A variant runs as its policy with its parts as extra {@code --set} overrides; its label (the
 * text, normalised) names it in tables, summary.json ({@code variant}), metrics.csv, the report
 * and the trace.
 *
 * @param label  the normalised text, e.g. "rocket+hw_task_chaining"; a plain policy is its key
 * @param policy the base policy
 * @param sets   the overrides, "key=value"
 */
public record Variant(String label, Policy policy, List<String> sets) {
    public Variant {
        sets = List.copyOf(sets);
    }

    /** The built-in set that walks rocket through the upstream patches under discussion. */
    public static final String UPSTREAM_PATCHES = "upstream-patches";

    /** The parts of {@code upstream-patches}, one variant each, then all together ({@code rocket+all}). */
    public static final List<String> UPSTREAM_SWITCHES = List.of("keep_iommu_attached", "hw_task_chaining", "submit_errors",
            "fair_sched", "devfreq", "npu_mhz=1000", "multi_entity");

    /** The part that stands for every switch of {@link #UPSTREAM_SWITCHES}. */
    public static final String ALL = "all";

    /** The plain policy. */
    public static Variant of(Policy p) {
        return new Variant(p.key(), p, List.of());
    }

    public boolean isPlain() {
        return sets.isEmpty();
    }

    /** Parses one variant against the default configuration. */
    public static Variant parse(String text) {
        return parse(text, Configs.defaults());
    }

    /** Parses one variant; unknown switches and bad values are one-line user errors. */
    public static Variant parse(String text, ParamTable defaults) {
        String t = text == null ? "" : text.trim();
        if (t.isEmpty()) throw new UserError("--variants: empty variant; write a policy, optionally followed by +switch parts");
        if (t.equalsIgnoreCase(UPSTREAM_PATCHES)) {
            throw new UserError("--variants: " + UPSTREAM_PATCHES + " is a set of variants, not one; list it on its own in --variants");
        }
        String[] parts = t.split("\\+", -1);
        Policy p = Policy.parse(parts[0]);
        StringBuilder label = new StringBuilder(p.key());
        List<String> sets = new ArrayList<>();
        for (int i = 1; i < parts.length; i++) {
            String part = parts[i].trim();
            if (part.isEmpty()) throw new UserError("--variants: empty switch in '" + t + "' (a '+' joins switches: rocket+hw_task_chaining)");
            int eq = part.indexOf('=');
            String name = (eq < 0 ? part : part.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
            String value = eq < 0 ? null : part.substring(eq + 1).trim();
            if (eq >= 0 && value.isEmpty()) throw new UserError("--variants: '" + part + "' in '" + t + "' has no value");
            if (name.equals(ALL) && value == null && p == Policy.ROCKET) {
                for (String s : UPSTREAM_SWITCHES) sets.add(assignment(p, s, defaults, t));
            } else {
                sets.add(assignment(p, value == null ? name : name + "=" + value, defaults, t));
            }
            label.append('+').append(value == null ? name : name + "=" + value);
        }
        try {
            ParamTable resolved = defaults.withAll(sets); // a value of the wrong type is caught here, before any run
            if (p == Policy.ROCKET) {
                // rocket.npu_mhz becomes the NPU clock (Configs): it must be an OPP or the boot rate
                long mhz = resolved.integer("rocket.npu_mhz", "MHz");
                new io.npusim.hw.clock.NpuClock(resolved.with("clock.npu.mhz", Long.toString(mhz))).check("rocket.npu_mhz", mhz);
            }
        } catch (UserError e) {
            throw new UserError("--variants: '" + t + "': " + e.getMessage().replace("clock.npu.mhz", "rocket.npu_mhz"));
        }
        return new Variant(label.toString(), p, sets);
    }

    /** One part as a "key=value" override. */
    private static String assignment(Policy p, String part, ParamTable defaults, String whole) {
        int eq = part.indexOf('=');
        String name = eq < 0 ? part : part.substring(0, eq);
        String key = name.contains(".") ? name : p.key() + "." + name;
        if (!defaults.has(key)) throw unknown(p, name, whole, defaults);
        Param param = defaults.get(key);
        if (eq >= 0) return key + "=" + part.substring(eq + 1);
        if (!(param.value() instanceof Boolean)) {
            throw new UserError("--variants: switch '" + name + "' in '" + whole + "' needs a value, e.g. " + name + "=" + param.value()
                    + " (" + param.unit() + ")");
        }
        return key + "=true";
    }

    private static UserError unknown(Policy p, String name, String whole, ParamTable defaults) {
        List<String> switches = new ArrayList<>();
        List<String> settings = new ArrayList<>();
        String prefix = p.key() + ".";
        for (Param q : defaults.all()) {
            if (!q.key().startsWith(prefix) || q.key().indexOf('.', prefix.length()) >= 0) continue;
            String n = q.key().substring(prefix.length());
            if (q.value() instanceof Boolean) switches.add(n);
            else settings.add(n);
        }
        if (p == Policy.ROCKET) switches.add(ALL);
        return new UserError("--variants: unknown switch '" + name + "' in '" + whole + "'; known switches of " + p.key() + ": "
                + (switches.isEmpty() ? "none" : String.join(", ", switches))
                + (settings.isEmpty() ? "" : "; settings (NAME=VALUE): " + String.join(", ", settings)));
    }

    /**
     * Parses a --variants list: each item a variant or the name of a built-in set
     * ({@code upstream-patches}); repeated labels run once, in first-seen order.
     */
    public static List<Variant> parseList(List<String> items) {
        ParamTable defaults = Configs.defaults();
        Map<String, Variant> out = new LinkedHashMap<>();
        for (String item : items) {
            if (item != null && item.trim().equalsIgnoreCase(UPSTREAM_PATCHES)) {
                for (Variant v : upstreamPatches(defaults)) out.putIfAbsent(v.label(), v);
            } else {
                Variant v = parse(item, defaults);
                out.putIfAbsent(v.label(), v);
            }
        }
        return List.copyOf(out.values());
    }

    /** {@code upstream-patches}: rocket as merged, each switch alone, then all of them together. */
    public static List<Variant> upstreamPatches() {
        return upstreamPatches(Configs.defaults());
    }

    private static List<Variant> upstreamPatches(ParamTable defaults) {
        List<Variant> l = new ArrayList<>();
        l.add(parse("rocket", defaults));
        for (String s : UPSTREAM_SWITCHES) l.add(parse("rocket+" + s, defaults));
        l.add(parse("rocket+" + ALL, defaults));
        return l;
    }
}
