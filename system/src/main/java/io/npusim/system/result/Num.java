package io.npusim.system.result;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Rounds figures once, at the source, so JSON, CSV and tables print the same values. */
public final class Num {
    private Num() {}

    /** Rounded to {@code decimals} places (half up), as a double. */
    public static double round(double v, int decimals) {
        if (Double.isNaN(v) || Double.isInfinite(v)) return 0;
        return new BigDecimal(v).setScale(decimals, RoundingMode.HALF_UP).doubleValue();
    }

    public static double ms(double ps) {
        return round(ps / 1e9, 4);
    }
}
