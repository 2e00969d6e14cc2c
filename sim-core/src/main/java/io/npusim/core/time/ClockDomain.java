package io.npusim.core.time;

import java.util.ArrayList;
import java.util.List;

/**
 * A clock that converts between cycles and picoseconds. The rate is held in kHz so that every
 * conversion is exact integer arithmetic without overflow for rates up to a few GHz and spans of
 * days. A rate change notifies listeners, which re-time work that is in flight (DVFS).
 */
public final class ClockDomain {
    private static final long PS_PER_S = Time.PS_PER_S;
    private static final long KHZ_PS = 1_000_000_000L; // ps per second / Hz per kHz

    /** Told after the rate changed; {@code nowPs} is the instant of the change. */
    @FunctionalInterface
    public interface RateListener {
        void onRateChange(ClockDomain domain, long oldKhz, long newKhz, long nowPs);
    }

    private final String name;
    private long khz;
    private final List<RateListener> listeners = new ArrayList<>(4);

    public ClockDomain(String name, long khz) {
        if (khz <= 0) throw new IllegalArgumentException("clock " + name + ": rate must be positive, got " + khz + " kHz");
        this.name = name;
        this.khz = khz;
    }

    public static ClockDomain mhz(String name, long mhz) {
        return new ClockDomain(name, Math.multiplyExact(mhz, 1000L));
    }

    public String name() {
        return name;
    }

    public long khz() {
        return khz;
    }

    public long mhz() {
        return khz / 1000L;
    }

    public double hz() {
        return khz * 1000.0;
    }

    /** Time taken by {@code cycles} cycles at the current rate, rounded up to a whole picosecond. */
    public long cyclesToPs(long cycles) {
        return cyclesToPs(cycles, khz);
    }

    /** Same as {@link #cyclesToPs(long)} for an arbitrary rate in kHz. */
    public static long cyclesToPs(long cycles, long khz) {
        if (cycles < 0) throw new IllegalArgumentException("negative cycles " + cycles);
        long whole = cycles / khz;
        long rem = cycles % khz;
        return Math.addExact(Math.multiplyExact(whole, KHZ_PS), ceilDiv(rem * KHZ_PS, khz));
    }

    /** Whole cycles completed in {@code ps} picoseconds at the current rate (rounded down). */
    public long psToCycles(long ps) {
        return psToCycles(ps, khz);
    }

    public static long psToCycles(long ps, long khz) {
        if (ps < 0) throw new IllegalArgumentException("negative time " + ps);
        long whole = ps / KHZ_PS;
        long rem = ps % KHZ_PS;
        return Math.addExact(Math.multiplyExact(whole, khz), rem * khz / KHZ_PS);
    }

    /** Period of one cycle in picoseconds, as a double (for rates, never for event times). */
    public double periodPs() {
        return PS_PER_S / hz();
    }

    public void addListener(RateListener l) {
        listeners.add(l);
    }

    /** Changes the rate at {@code nowPs}; listeners re-time their in-flight work. */
    public void setKhz(long newKhz, long nowPs) {
        if (newKhz <= 0) throw new IllegalArgumentException("clock " + name + ": rate must be positive, got " + newKhz + " kHz");
        long old = khz;
        if (old == newKhz) return;
        khz = newKhz;
        for (RateListener l : listeners) l.onRateChange(this, old, newKhz, nowPs);
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }

    @Override
    public String toString() {
        return name + "@" + (khz / 1000.0) + "MHz";
    }
}
