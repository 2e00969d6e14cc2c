package io.npusim.kernel.proposed;

import static io.npusim.kernel.proposed.ProposedRig.MS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.npusim.core.UserError;
import io.npusim.hw.config.Param;
import io.npusim.hw.config.ParamTable;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The proposed.* keys of kernel.yaml: every mechanism has an ablation switch, on by default, and
 * each key reaches ProposedParams. Their effects are tested where the mechanism lives:
 * ProposedPreemptionTest (preemption), ProposedIommuTest (keep_iommu_attached, residency),
 * ProposedVariantTest (variant_choice, deadline_margin), ProposedSramTest (sram_by_class),
 * ProposedSyncTest (explicit_sync), ProposedBatchTest (batch_tasks), ProposedWatchdogTest
 * (job_timeout_ms).
 */
class ProposedSwitchesTest {
    static final List<String> ABLATIONS = List.of("preemption", "keep_iommu_attached", "variant_choice", "sram_by_class", "explicit_sync",
            "residency");

    @Test
    void everyAblationSwitchIsOnByDefaultAndEveryKeyIsAChoice() {
        ParamTable t = ParamTable.loadResources("npusim/hw-rk3588.yaml", "npusim/kernel.yaml");
        ProposedParams p = ProposedParams.from(t);
        assertThat(List.of(p.preemption(), p.keepIommuAttached(), p.variantChoice(), p.sramByClass(), p.explicitSync(), p.residency()))
                .containsOnly(true);
        for (String s : ABLATIONS) {
            Param q = t.get("proposed." + s);
            assertThat(q.value()).as(s).isEqualTo(true);
            assertThat(q.originKind()).as(s).isEqualTo(Param.Origin.CHOICE);
            assertThat(q.origin()).as(s).contains("ablation");
        }
        assertThat(t.children("proposed")).contains("batch_tasks", "preemption", "keep_iommu_attached", "variant_choice",
                "deadline_margin", "sram_by_class", "job_timeout_ms", "explicit_sync", "residency");
        assertThat(p.batchTasks()).isEqualTo(16);
        assertThat(p.deadlineMargin()).isEqualTo(0.7);
        assertThat(p.jobTimeoutPs()).isEqualTo(1000 * MS);
    }

    @Test
    void eachKeyReachesTheDriver() {
        ParamTable t = ParamTable.loadResources("npusim/hw-rk3588.yaml", "npusim/kernel.yaml");
        for (String s : ABLATIONS) {
            ProposedParams off = ProposedParams.from(t.withAll(List.of("proposed." + s + "=false")));
            List<Boolean> flags = List.of(off.preemption(), off.keepIommuAttached(), off.variantChoice(), off.sramByClass(), off.explicitSync(),
                    off.residency());
            assertThat(flags.stream().filter(b -> !b).count()).as(s).isEqualTo(1);
            assertThat(flags.get(ABLATIONS.indexOf(s))).as(s).isFalse();
        }
        ProposedParams q = ProposedParams.from(t.withAll(List.of("proposed.batch_tasks=4095", "proposed.deadline_margin=0.5",
                "proposed.job_timeout_ms=20")));
        assertThat(q.batchTasks()).isEqualTo(4095);
        assertThat(q.deadlineMargin()).isEqualTo(0.5);
        assertThat(q.jobTimeoutPs()).isEqualTo(20 * MS);
    }

    @Test
    void aBatchMustFitTaskNumber() {
        ParamTable t = ParamTable.loadResources("npusim/hw-rk3588.yaml", "npusim/kernel.yaml");
        for (String bad : List.of("0", "4096")) {
            assertThatThrownBy(() -> ProposedParams.from(t.withAll(List.of("proposed.batch_tasks=" + bad))))
                    .isInstanceOf(UserError.class).hasMessageContaining("proposed.batch_tasks").hasMessageContaining("TASK_NUMBER");
        }
    }
}
