package io.npusim.workloads.scenario;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.npusim.core.random.RngStream;

/**
 * A count drawn per request: a fixed value ({@code 128}), a uniform range
 * ({@code {min: 64, max: 256}}) or a log-normal with mean and coefficient of variation
 * ({@code {mean: 128, cv: 0.5}}).
 */
public record Dist(double fixed, double min, double max, double mean, double cv) {
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static Dist of(int value) {
        if (value <= 0) throw new IllegalArgumentException("must be positive");
        return new Dist(value, 0, 0, 0, 0);
    }

    @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
    public static Dist of(@JsonProperty("min") Double min, @JsonProperty("max") Double max,
                          @JsonProperty("mean") Double mean, @JsonProperty("cv") Double cv) {
        if (min != null && max != null) {
            if (min <= 0 || max < min) throw new IllegalArgumentException("needs 0 < min <= max");
            return new Dist(0, min, max, 0, 0);
        }
        if (mean != null) {
            if (mean <= 0 || (cv != null && cv < 0)) throw new IllegalArgumentException("needs mean > 0 and cv >= 0");
            return new Dist(0, 0, 0, mean, cv == null ? 0 : cv);
        }
        throw new IllegalArgumentException("give a number, {min, max} or {mean, cv}");
    }

    public int draw(RngStream r) {
        double v;
        if (fixed > 0) v = fixed;
        else if (max > 0) v = r.uniform(min, max + 1);
        else v = r.logNormal(mean, cv);
        return (int) Math.max(1, Math.floor(v));
    }

    public double expected() {
        return fixed > 0 ? fixed : max > 0 ? (min + max) / 2 : mean;
    }
}
