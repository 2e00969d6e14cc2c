package io.npusim.hw.clock;

import io.npusim.core.UserError;
import io.npusim.core.time.ClockDomain;
import io.npusim.hw.config.ParamTable;
import java.util.ArrayList;
import java.util.List;

/**
 * The single NPU clock of all three cores (one clk_npu) with its OPP table. Valid rates are the
 * OPPs and the 200 MHz boot/suspend rate. An optional thermal cap limits the rate above a
 * temperature, as the vendor OPP table does.
 */
public final class NpuClock {
    private final ClockDomain domain;
    private final long[] oppMhz;
    private final long[] oppMv;
    private final long bootMhz;
    private final long bootMv;
    private final long capMhz; // Long.MAX_VALUE when no cap applies
    private long requestedMhz;
    private long changes;
    // time-weighted rate: MHz x ps summed up to lastChangePs (for the mean over a run)
    private double mhzPs;
    private long lastChangePs;

    public NpuClock(ParamTable t) {
        List<Object> mhz = t.list("clock.npu.opp_mhz");
        List<Object> mv = t.list("clock.npu.opp_mv");
        if (mhz.size() != mv.size() || mhz.isEmpty()) throw new UserError("clock.npu.opp_mhz and clock.npu.opp_mv must have the same, non-zero length");
        oppMhz = new long[mhz.size()];
        oppMv = new long[mv.size()];
        for (int i = 0; i < oppMhz.length; i++) {
            oppMhz[i] = ((Number) mhz.get(i)).longValue();
            oppMv[i] = ((Number) mv.get(i)).longValue();
            if (oppMhz[i] <= 0 || oppMv[i] <= 0) throw new UserError("clock.npu.opp_mhz/opp_mv: entries must be positive");
        }
        bootMhz = t.integer("clock.npu.boot_mhz", "MHz");
        bootMv = t.integer("clock.npu.boot_mv", "mV");
        boolean capOn = t.flag("clock.npu.thermal_cap_enabled");
        double temp = t.num("clock.npu.soc_temp_c", "C");
        double above = t.num("clock.npu.thermal_cap_above_c", "C");
        capMhz = capOn && temp > above ? t.integer("clock.npu.thermal_cap_mhz", "MHz") : Long.MAX_VALUE;
        long start = t.integer("clock.npu.mhz", "MHz");
        check("clock.npu.mhz", start);
        requestedMhz = start;
        domain = ClockDomain.mhz("npu", Math.min(start, capMhz));
    }

    /** Rejects a rate that is neither an OPP nor the boot rate, naming the key. */
    public void check(String key, long mhz) {
        if (!isValid(mhz)) {
            throw new UserError(key + " = " + mhz + " MHz is not a valid NPU rate; valid: " + validRates());
        }
    }

    public boolean isValid(long mhz) {
        if (mhz == bootMhz) return true;
        for (long o : oppMhz) if (o == mhz) return true;
        return false;
    }

    public String validRates() {
        List<String> l = new ArrayList<>();
        l.add(bootMhz + " (boot)");
        for (long o : oppMhz) l.add(Long.toString(o));
        return String.join(", ", l);
    }

    public ClockDomain domain() {
        return domain;
    }

    public long mhz() {
        return domain.mhz();
    }

    public long requestedMhz() {
        return requestedMhz;
    }

    public long changes() {
        return changes;
    }

    /** Sets the rate (an OPP or the boot rate), applying the thermal cap; re-times running work. */
    public void setMhz(long mhz, long nowPs) {
        check("npu clock", mhz);
        requestedMhz = mhz;
        long eff = Math.min(mhz, capMhz);
        if (eff != domain.mhz()) {
            changes++;
            mhzPs += (double) domain.mhz() * Math.max(0, nowPs - lastChangePs);
            lastChangePs = Math.max(lastChangePs, nowPs);
            domain.setKhz(eff * 1000, nowPs);
        }
    }

    /** The rate averaged over time from 0 to {@code nowPs}, in MHz (the rate itself while it never changed). */
    public double meanMhz(long nowPs) {
        long span = Math.max(nowPs, lastChangePs);
        if (span <= 0) return domain.mhz();
        return (mhzPs + (double) domain.mhz() * (span - lastChangePs)) / span;
    }

    /** Supply voltage at the current rate, in mV (the OPP's nominal voltage). */
    public long millivolts() {
        return millivoltsAt(domain.mhz());
    }

    public long millivoltsAt(long mhz) {
        if (mhz <= bootMhz) return bootMv;
        long v = oppMv[0];
        for (int i = 0; i < oppMhz.length; i++) if (oppMhz[i] <= mhz) v = oppMv[i];
        for (int i = 0; i < oppMhz.length; i++) {
            if (oppMhz[i] >= mhz) return oppMv[i];
        }
        return v;
    }

    public long[] oppMhz() {
        return oppMhz.clone();
    }

    public long capMhz() {
        return capMhz;
    }
}
