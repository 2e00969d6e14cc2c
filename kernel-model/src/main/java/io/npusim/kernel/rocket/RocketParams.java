package io.npusim.kernel.rocket;

import io.npusim.core.time.Time;
import io.npusim.hw.config.ParamTable;

/** Constants and patch switches of the rocket driver model, from {@code rocket.*}. */
public record RocketParams(long jobTimeoutPs, long autosuspendPs, int creditLimit, int hz,
                           boolean keepIommuAttached, boolean hwTaskChaining, boolean submitErrors,
                           boolean fairSched, boolean multiEntity, boolean devfreq, boolean prepBoFixed) {
    public static RocketParams from(ParamTable t) {
        return new RocketParams(Time.fromMs(t.positive("rocket.job_timeout_ms", "ms")),
                Time.fromMs(t.nonNegative("rocket.autosuspend_ms", "ms")), (int) t.integer("rocket.credit_limit", "jobs"),
                (int) t.integer("rocket.hz", "Hz"), t.flag("rocket.keep_iommu_attached"), t.flag("rocket.hw_task_chaining"),
                t.flag("rocket.submit_errors"), t.flag("rocket.fair_sched"), t.flag("rocket.multi_entity"), t.flag("rocket.devfreq"),
                t.flag("rocket.prep_bo_fixed"));
    }
}
