package io.npusim.kernel.rocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.npusim.hw.config.Param;
import io.npusim.hw.config.ParamTable;
import io.npusim.kernel.sched.DrmGpuScheduler;
import io.npusim.kernel.sched.SchedPolicy;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The patch switches of kernel.yaml (issue 11): each is off in rocket as merged, each names the
 * patch or proposal it models, and each reaches the driver. Their effects are tested where the
 * mechanism lives: RocketOverheadTest (hw_task_chaining, keep_iommu_attached),
 * RocketIoctlValidationTest (submit_errors, prep_bo_fixed), RocketPlacementTest and
 * RocketChainTest (multi_entity), RocketDevfreqTest (devfreq), RocketClockTest (npu_mhz), and the
 * drm_sched fair policy itself in SelectionPolicyTest.
 */
class RocketSwitchesTest {
    static final List<String> SWITCHES = List.of("keep_iommu_attached", "hw_task_chaining", "submit_errors", "fair_sched",
            "multi_entity", "devfreq", "prep_bo_fixed");

    @Test
    void everySwitchIsOffByDefaultAndNamesItsSource() {
        ParamTable t = ParamTable.loadResources("npusim/hw-rk3588.yaml", "npusim/kernel.yaml");
        RocketParams p = RocketParams.from(t);
        assertThat(List.of(p.keepIommuAttached(), p.hwTaskChaining(), p.submitErrors(), p.fairSched(), p.multiEntity(), p.devfreq(),
                p.prepBoFixed())).containsOnly(false);
        for (String s : SWITCHES) {
            Param q = t.get("rocket." + s);
            assertThat(q.value()).as(s).isEqualTo(false);
            assertThat(q.origin()).as(s).startsWith("choice:").containsPattern("true (is|models|keeps|writes|returns|uses)");
        }
        assertThat(t.get("rocket.multi_entity").origin()).contains("HYPOTHETICAL");
        assertThat(t.get("rocket.devfreq_upthreshold").origin()).contains("governor_simpleondemand.c");
        assertThat(t.get("rocket.devfreq_downdifferential").origin()).contains("governor_simpleondemand.c");
        assertThat(t.integer("rocket.devfreq_upthreshold", "%")).isEqualTo(90);
        assertThat(t.integer("rocket.devfreq_downdifferential", "%")).isEqualTo(5);
        assertThat(t.integer("rocket.devfreq_polling_ms", "ms")).isEqualTo(50);
    }

    @Test
    void fairSchedPutsEveryCoreSchedulerOnTheFairPolicy() {
        for (DrmGpuScheduler s : new RocketRig().dev.schedulers()) assertThat(s.policy()).isEqualTo(SchedPolicy.FIFO);
        for (DrmGpuScheduler s : new RocketRig("rocket.fair_sched=true").dev.schedulers()) assertThat(s.policy()).isEqualTo(SchedPolicy.FAIR);
    }
}
