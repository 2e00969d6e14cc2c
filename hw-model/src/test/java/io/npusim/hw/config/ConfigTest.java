package io.npusim.hw.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.npusim.core.UserError;
import io.npusim.hw.HwRig;
import io.npusim.hw.Rk3588;
import org.junit.jupiter.api.Test;

class ConfigTest {
    @Test
    void everyConstantHasAUnitAndAnOrigin() {
        ParamTable t = ParamTable.loadResources(Rk3588.HW_RESOURCES);
        assertThat(t.all()).hasSizeGreaterThan(50);
        for (Param p : t.all()) {
            assertThat(p.unit()).as(p.key()).isNotBlank();
            String o = p.origin().toLowerCase();
            assertThat(o.startsWith("source") || o.startsWith("fitted") || o.startsWith("assumed") || o.startsWith("choice"))
                    .as(p.key() + " origin: " + p.origin()).isTrue();
        }
        assertThat(t.assumed()).isNotEmpty();
    }

    @Test
    void badConfigurationIsRejectedNamingTheKey() {
        assertThatThrownBy(() -> new HwRig("ddr.presets.lpddr4x-4224.peak_gbps=-3")).isInstanceOf(UserError.class)
                .hasMessageContaining("ddr.presets.lpddr4x-4224.peak_gbps").hasMessageContaining("positive");
        assertThatThrownBy(() -> new HwRig("npu.port.gbps=-1")).isInstanceOf(UserError.class).hasMessageContaining("npu.port.gbps");
        assertThatThrownBy(() -> new HwRig("ddr.preset=ddr3-1600")).isInstanceOf(UserError.class)
                .hasMessageContaining("ddr.preset").hasMessageContaining("lpddr5-4800");
        assertThatThrownBy(() -> new HwRig("clock.npu.mhz=650")).isInstanceOf(UserError.class)
                .hasMessageContaining("clock.npu.mhz").hasMessageContaining("200 (boot)");
        assertThatThrownBy(() -> new HwRig("sram.npu_kb=2000")).isInstanceOf(UserError.class).hasMessageContaining("sram.npu_kb");
        assertThatThrownBy(() -> new HwRig("npu.no_such_key=1")).isInstanceOf(UserError.class).hasMessageContaining("npu.no_such_key");
        assertThatThrownBy(() -> new HwRig("ddr.efficiency=1.5")).isInstanceOf(UserError.class).hasMessageContaining("ddr.efficiency");
        assertThatThrownBy(() -> new HwRig("iommu.iotlb_entries=abc")).isInstanceOf(UserError.class).hasMessageContaining("iommu.iotlb_entries");
    }

    @Test
    void validRatesAreTheOppsAndTheBootRateAndTheThermalCapApplies() {
        assertThat(new HwRig("clock.npu.mhz=200").hw.clock().mhz()).isEqualTo(200);
        assertThat(new HwRig("clock.npu.mhz=300").hw.clock().millivolts()).isEqualTo(700);
        assertThat(new HwRig("clock.npu.mhz=1000").hw.clock().millivolts()).isEqualTo(850);
        HwRig hot = new HwRig("clock.npu.thermal_cap_enabled=true", "clock.npu.soc_temp_c=90");
        assertThat(hot.hw.clock().mhz()).isEqualTo(800);
        assertThat(hot.hw.clock().requestedMhz()).isEqualTo(1000);
        HwRig cool = new HwRig("clock.npu.thermal_cap_enabled=true", "clock.npu.soc_temp_c=60");
        assertThat(cool.hw.clock().mhz()).isEqualTo(1000);
    }

    @Test
    void overridesKeepTypes() {
        ParamTable t = ParamTable.loadResources(Rk3588.HW_RESOURCES);
        assertThat(t.with("npu.port.gbps", "10").num("npu.port.gbps", "GB/s")).isEqualTo(10.0);
        assertThat(t.with("clock.npu.thermal_cap_enabled", "true").flag("clock.npu.thermal_cap_enabled")).isTrue();
        assertThatThrownBy(() -> t.with("clock.npu.thermal_cap_enabled", "maybe")).isInstanceOf(UserError.class);
        assertThatThrownBy(() -> t.withAll(java.util.List.of("novalue"))).isInstanceOf(UserError.class).hasMessageContaining("key=value");
    }
}
