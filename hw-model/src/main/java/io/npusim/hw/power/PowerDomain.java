package io.npusim.hw.power;

import io.npusim.core.event.Priority;
import io.npusim.core.event.Simulator;

/**
 * A power domain of the NPU (PD_NPUTOP for core 0, PD_NPU1, PD_NPU2). Powering on takes a latency;
 * the time it is on is integrated for static energy by whoever owns the meter.
 */
public final class PowerDomain {
    private final String name;
    private final Simulator sim;
    private final long onLatencyPs;
    private boolean on;
    private boolean poweringUp;
    private long onSincePs;
    private long onTotalPs;
    private long powerUps;
    private final java.util.ArrayList<Runnable> waiters = new java.util.ArrayList<>();

    public PowerDomain(String name, Simulator sim, long onLatencyPs, boolean initiallyOn) {
        this.name = name;
        this.sim = sim;
        this.onLatencyPs = onLatencyPs;
        this.on = initiallyOn;
        this.onSincePs = sim.now();
    }

    public String name() {
        return name;
    }

    public boolean isOn() {
        return on;
    }

    /** Powers on (if off) and runs {@code then} once the domain is up. */
    public void powerOn(Runnable then) {
        if (on) {
            sim.schedule(sim.now(), Priority.HARDWARE, (p, a) -> then.run());
            return;
        }
        waiters.add(then);
        if (poweringUp) return;
        poweringUp = true;
        powerUps++;
        sim.scheduleIn(onLatencyPs, Priority.HARDWARE, (p, a) -> {
            poweringUp = false;
            on = true;
            onSincePs = sim.now();
            java.util.List<Runnable> w = new java.util.ArrayList<>(waiters);
            waiters.clear();
            for (Runnable r : w) r.run();
        });
    }

    public void powerOff() {
        if (!on) return;
        onTotalPs += sim.now() - onSincePs;
        on = false;
    }

    /** Picoseconds the domain has been on so far. */
    public long onPs() {
        return onTotalPs + (on ? sim.now() - onSincePs : 0);
    }

    public long powerUps() {
        return powerUps;
    }

    public long onLatencyPs() {
        return onLatencyPs;
    }
}
