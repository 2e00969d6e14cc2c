package io.npusim.kernel.proposed;

import io.npusim.core.UserError;
import io.npusim.core.time.Time;
import io.npusim.hw.config.ParamTable;

/**
 * Constants and ablation switches of the proposed driver, from {@code proposed.*}. Each switch
 * turns one mechanism off so its contribution can be measured (docs/PROPOSED_UAPI.md).
 */
public record ProposedParams(int batchTasks, boolean preemption, boolean keepIommuAttached, boolean variantChoice,
                             double deadlineMargin, boolean sramByClass, long jobTimeoutPs, boolean explicitSync,
                             boolean residency, boolean dvfs, io.npusim.kernel.devfreq.DevfreqParams governor) {
    public static ProposedParams from(ParamTable t) {
        int batch = (int) t.integer("proposed.batch_tasks", "tasks");
        if (batch < 1 || batch > 0xfff) throw new UserError("configuration key proposed.batch_tasks must be 1..4095 (TASK_NUMBER is 12 bits), got " + batch);
        double margin = t.positive("proposed.deadline_margin", "fraction");
        return new ProposedParams(batch, t.flag("proposed.preemption"), t.flag("proposed.keep_iommu_attached"),
                t.flag("proposed.variant_choice"), margin, t.flag("proposed.sram_by_class"),
                Time.fromMs(t.positive("proposed.job_timeout_ms", "ms")), t.flag("proposed.explicit_sync"),
                t.flag("proposed.residency"), t.flag("proposed.dvfs"),
                new io.npusim.kernel.devfreq.DevfreqParams(Time.fromMs(t.positive("proposed.dvfs_polling_ms", "ms")),
                        (int) t.integer("proposed.dvfs_upthreshold", "%"), (int) t.integer("proposed.dvfs_downdifferential", "%"),
                        Time.fromUs(t.nonNegative("proposed.dvfs_transition_us", "us"))));
    }
}
