package io.npusim.kernel.rknpu;

import io.npusim.core.time.Time;
import io.npusim.hw.config.ParamTable;

/** Constants of the vendor driver (rknpu 0.9.8), from the {@code rknpu.*} configuration. */
public record RknpuParams(int maxSubmitTasks, long powerOffDelayPs, long abortSleepPs, long resetSleepPs,
                          int waitRounds, long loadIntervalPs, int maxDomains, long domainSwitchWaitPs,
                          int pcDataExtraAmount, int commitMmioWrites, long resetPulsePs) {
    public static RknpuParams from(ParamTable t) {
        return new RknpuParams(
                (int) t.integer("rknpu.max_submit_tasks", "tasks"),
                Time.fromMs(t.nonNegative("rknpu.power_off_delay_ms", "ms")),
                Time.fromMs(t.nonNegative("rknpu.abort_sleep_ms", "ms")),
                Time.fromMs(t.nonNegative("rknpu.reset_sleep_ms", "ms")),
                (int) t.integer("rknpu.wait_rounds", "count"),
                Time.fromMs(t.positive("rknpu.load_interval_ms", "ms")),
                (int) t.integer("rknpu.max_domains", "count"),
                Time.fromMs(t.positive("rknpu.domain_switch_wait_ms", "ms")),
                (int) t.integer("rknpu.pc_data_extra_amount", "entries"),
                (int) t.integer("rknpu.commit_mmio_writes", "count"),
                Time.fromUs(t.nonNegative("power.reset_us", "us")));
    }
}
