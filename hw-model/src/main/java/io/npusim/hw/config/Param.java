package io.npusim.hw.config;

/**
 * One configuration constant: its value, its unit, and where the value comes from. An origin
 * starts with "source:" (a published fact), "fitted:" (fitted to named calibration points) or
 * "assumed:" (no public figure; a test shows how far results move when it doubles).
 */
public record Param(String key, Object value, String unit, String origin) {
    public enum Origin { SOURCE, FITTED, ASSUMED, CHOICE }

    public Param {
        if (unit == null || unit.isBlank()) throw new IllegalArgumentException(key + ": missing unit");
        if (origin == null || origin.isBlank()) throw new IllegalArgumentException(key + ": missing origin");
    }

    public Origin originKind() {
        String o = origin.toLowerCase(java.util.Locale.ROOT);
        if (o.startsWith("source")) return Origin.SOURCE;
        if (o.startsWith("fitted")) return Origin.FITTED;
        if (o.startsWith("assumed")) return Origin.ASSUMED;
        return Origin.CHOICE;
    }

    public boolean isNumber() {
        return value instanceof Number;
    }

    public double asDouble() {
        return ((Number) value).doubleValue();
    }

    public Param withValue(Object v) {
        return new Param(key, v, unit, origin);
    }
}
