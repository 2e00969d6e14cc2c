package io.npusim.kernel.rocket;

import io.npusim.core.time.Time;
import io.npusim.hw.config.ParamTable;

/**
 * Constants and patch switches of the rocket driver model, from {@code rocket.*}. The switches
 * (keep_iommu_attached, hw_task_chaining, submit_errors, fair_sched, multi_entity, devfreq,
 * prep_bo_fixed) are false in rocket as merged; kernel.yaml names the patch each one models.
 */
public record RocketParams(long jobTimeoutPs, long autosuspendPs, int creditLimit, int hz,
                           boolean keepIommuAttached, boolean hwTaskChaining, boolean submitErrors,
                           boolean fairSched, boolean multiEntity, boolean devfreq, boolean prepBoFixed,
                           io.npusim.kernel.devfreq.DevfreqParams governor) {
    public static RocketParams from(ParamTable t) {
        int up = (int) t.integer("rocket.devfreq_upthreshold", "%");
        int down = (int) t.integer("rocket.devfreq_downdifferential", "%");
        if (up <= 0 || up > 100 || down < 0 || down >= up) {
            throw new io.npusim.core.UserError("rocket.devfreq_upthreshold must lie in 1..100 and rocket.devfreq_downdifferential in 0..upthreshold-1, got "
                    + up + " and " + down);
        }
        var gov = new io.npusim.kernel.devfreq.DevfreqParams(Time.fromMs(t.positive("rocket.devfreq_polling_ms", "ms")), up, down,
                Time.fromUs(t.nonNegative("rocket.devfreq_transition_us", "us")));
        return new RocketParams(Time.fromMs(t.positive("rocket.job_timeout_ms", "ms")),
                Time.fromMs(t.nonNegative("rocket.autosuspend_ms", "ms")), (int) t.integer("rocket.credit_limit", "jobs"),
                (int) t.integer("rocket.hz", "Hz"), t.flag("rocket.keep_iommu_attached"), t.flag("rocket.hw_task_chaining"),
                t.flag("rocket.submit_errors"), t.flag("rocket.fair_sched"), t.flag("rocket.multi_entity"), t.flag("rocket.devfreq"),
                t.flag("rocket.prep_bo_fixed"), gov);
    }
}
