package io.npusim.system.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.npusim.core.UserError;
import io.npusim.core.trace.TraceSink;
import io.npusim.hw.config.ParamTable;
import io.npusim.system.board.Board;
import io.npusim.system.board.Configs;
import io.npusim.workloads.scenario.Scenario;
import io.npusim.workloads.scenario.ScenarioLoader;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Policy variants: "rocket+hw_task_chaining", "rocket+npu_mhz=1000", the upstream-patches set. */
class VariantTest {

    @Test
    void aPlainPolicyIsAVariantWithoutSwitches() {
        Variant v = Variant.parse("rocket");
        assertThat(v.label()).isEqualTo("rocket");
        assertThat(v.policy()).isEqualTo(Policy.ROCKET);
        assertThat(v.sets()).isEmpty();
        assertThat(v.isPlain()).isTrue();
        assertThat(Variant.parse(" RKNPU ").label()).isEqualTo("rknpu");
    }

    @Test
    void aSwitchNameMeansTrueAndAKeyValueSetsTheKeyUnderThePolicy() {
        Variant v = Variant.parse("rocket+keep_iommu_attached+hw_task_chaining");
        assertThat(v.label()).isEqualTo("rocket+keep_iommu_attached+hw_task_chaining");
        assertThat(v.sets()).containsExactly("rocket.keep_iommu_attached=true", "rocket.hw_task_chaining=true");
        Variant m = Variant.parse("rocket + NPU_MHZ=1000");
        assertThat(m.label()).isEqualTo("rocket+npu_mhz=1000");
        assertThat(m.sets()).containsExactly("rocket.npu_mhz=1000");
        // a false value and a full dotted key are allowed too
        assertThat(Variant.parse("rocket+devfreq+devfreq_upthreshold=45").sets()).containsExactly("rocket.devfreq=true", "rocket.devfreq_upthreshold=45");
        assertThat(Variant.parse("rocket+kernel.cost.hard_irq_us=1").sets()).containsExactly("kernel.cost.hard_irq_us=1");
        assertThat(Variant.parse("rocket+multi_entity=false").sets()).containsExactly("rocket.multi_entity=false");
    }

    @Test
    void allIsEveryPatchSwitchOfTheBuiltInSet() {
        Variant all = Variant.parse("rocket+all");
        assertThat(all.label()).isEqualTo("rocket+all");
        assertThat(all.sets()).containsExactly("rocket.keep_iommu_attached=true", "rocket.hw_task_chaining=true", "rocket.submit_errors=true",
                "rocket.fair_sched=true", "rocket.devfreq=true", "rocket.npu_mhz=1000", "rocket.multi_entity=true");
    }

    @Test
    void upstreamPatchesIsRocketThenEachSwitchAloneThenAllTogether() {
        List<Variant> l = Variant.parseList(List.of("upstream-patches"));
        assertThat(l).extracting(Variant::label).containsExactly("rocket", "rocket+keep_iommu_attached", "rocket+hw_task_chaining",
                "rocket+submit_errors", "rocket+fair_sched", "rocket+devfreq", "rocket+npu_mhz=1000", "rocket+multi_entity", "rocket+all");
        assertThat(l).extracting(Variant::policy).containsOnly(Policy.ROCKET);
        // combined with other runs; a label listed twice runs once, where it first appears
        List<Variant> m = Variant.parseList(List.of("rknpu", "upstream-patches", "rocket", "rocket+hw_task_chaining", "rknpu"));
        assertThat(m).extracting(Variant::label).hasSize(10).startsWith("rknpu", "rocket", "rocket+keep_iommu_attached").doesNotHaveDuplicates();
    }

    @Test
    void unknownSwitchesAndBadValuesAreOneLineUserErrorsListingTheKnownOnes() {
        assertThatThrownBy(() -> Variant.parse("rocket+keep_iommu")).isInstanceOf(UserError.class)
                .hasMessageContaining("unknown switch 'keep_iommu'").hasMessageContaining("rocket+keep_iommu")
                .hasMessageContaining("keep_iommu_attached, hw_task_chaining, submit_errors, fair_sched, multi_entity, devfreq, prep_bo_fixed, all")
                .hasMessageContaining("npu_mhz")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertThatThrownBy(() -> Variant.parse("rocket+npu_mhz")).isInstanceOf(UserError.class).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> Variant.parse("rocket+npu_mhz=650")).isInstanceOf(UserError.class)
                .hasMessageContaining("rocket.npu_mhz = 650 MHz is not a valid NPU rate").hasMessageContaining("1000");
        assertThatThrownBy(() -> Variant.parse("rocket+devfreq=maybe")).isInstanceOf(UserError.class).hasMessageContaining("true or false");
        assertThatThrownBy(() -> Variant.parse("rocket++devfreq")).isInstanceOf(UserError.class).hasMessageContaining("empty switch");
        assertThatThrownBy(() -> Variant.parse("rocket+npu_mhz=")).isInstanceOf(UserError.class).hasMessageContaining("no value");
        assertThatThrownBy(() -> Variant.parse("windows+devfreq")).isInstanceOf(UserError.class).hasMessageContaining("unknown policy 'windows'");
        assertThatThrownBy(() -> Variant.parse("rknpu+devfreq")).isInstanceOf(UserError.class)
                .hasMessageContaining("known switches of rknpu: none").hasMessageContaining("max_submit_tasks");
        assertThatThrownBy(() -> Variant.parse("upstream-patches")).isInstanceOf(UserError.class).hasMessageContaining("set of variants");
        assertThatThrownBy(() -> Variant.parseList(List.of("rocket", "rocket+nope"))).isInstanceOf(UserError.class).hasMessageContaining("nope");
    }

    @Test
    void aVariantRunsAsItsPolicyWithItsSwitchesSetAndCarriesItsLabel() {
        Scenario s = new ScenarioLoader().load("vision-single");
        RunSpec spec = RunSpec.of("vision-single", Policy.RKNPU).withVariant(Variant.parse("rocket+hw_task_chaining+npu_mhz=1000"));
        assertThat(spec.policy()).isEqualTo(Policy.ROCKET);
        assertThat(spec.variant()).isEqualTo("rocket+hw_task_chaining+npu_mhz=1000");
        ParamTable t = Configs.resolve(spec, s);
        assertThat(t.flag("rocket.hw_task_chaining")).isTrue();
        // rocket.npu_mhz is the clock rocket runs at, whichever layer sets it
        assertThat(t.integer("clock.npu.mhz", "MHz")).isEqualTo(1000);
        assertThat(Configs.resolve(RunSpec.of("vision-single", Policy.ROCKET), s).integer("clock.npu.mhz", "MHz")).isEqualTo(200);
        assertThat(new Board(spec, s, TraceSink.NONE).hw().clock().mhz()).isEqualTo(1000);
        // a later --npu-mhz or clock.npu.mhz still wins over it
        RunSpec later = new RunSpec("vision-single", Policy.ROCKET, null, null, null, null, null, null,
                List.of("rocket.npu_mhz=1000", "clock.npu.mhz=600"), "none");
        assertThat(Configs.resolve(later, s).integer("clock.npu.mhz", "MHz")).isEqualTo(600);
        // only rocket reads rocket.npu_mhz
        RunSpec vendor = new RunSpec("vision-single", Policy.RKNPU, null, null, null, null, null, null, List.of("rocket.npu_mhz=300"), "none");
        assertThat(Configs.resolve(vendor, s).integer("clock.npu.mhz", "MHz")).isEqualTo(1000);
        // another policy drops the label
        assertThat(spec.withPolicy(Policy.RKNPU).variant()).isNull();
    }
}
