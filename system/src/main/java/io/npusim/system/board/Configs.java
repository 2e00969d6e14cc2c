package io.npusim.system.board;

import io.npusim.core.UserError;
import io.npusim.hw.config.ParamTable;
import io.npusim.system.spec.Policy;
import io.npusim.system.spec.RunSpec;
import io.npusim.workloads.scenario.Scenario;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The configuration of a run, layered: the files' defaults, then the policy's defaults (rocket
 * runs the NPU at the mainline device tree's 200 MHz), then the scenario's hardware section, then
 * the command line (--npu-mhz, --ddr, --sram-kb, --set). Under rocket, {@code rocket.npu_mhz} is the
 * clock the device tree or bootloader leaves, so setting it in any layer sets {@code clock.npu.mhz}
 * there too: the later layer wins, as for every other key.
 */
public final class Configs {
    private static final String ROCKET_MHZ = "rocket.npu_mhz";
    public static final String[] RESOURCES = {"npusim/hw-rk3588.yaml", "npusim/kernel.yaml", "npusim/runtime.yaml"};

    private Configs() {}

    public static ParamTable defaults() {
        return ParamTable.loadResources(RESOURCES);
    }

    public static ParamTable resolve(RunSpec spec, Scenario scenario) {
        ParamTable t = defaults();
        if (spec.policy() == Policy.ROCKET) t = t.with("clock.npu.mhz", Long.toString(t.integer("rocket.npu_mhz", "MHz")));
        for (Map.Entry<String, String> e : scenario.hardware().entrySet()) {
            try {
                t = t.with(e.getKey(), e.getValue());
                if (spec.policy() == Policy.ROCKET && e.getKey().equals(ROCKET_MHZ)) t = t.with("clock.npu.mhz", e.getValue());
            } catch (UserError err) {
                throw new UserError("scenario " + scenario.name() + ": hardware." + e.getKey() + ": " + err.getMessage());
            }
        }
        List<String> cli = new ArrayList<>();
        if (spec.npuMhz() != null) cli.add("clock.npu.mhz=" + spec.npuMhz());
        if (spec.ddr() != null) {
            if (!t.children("ddr.presets").contains(spec.ddr())) {
                throw new UserError("--ddr: unknown DDR preset '" + spec.ddr() + "'; valid: " + String.join(", ", t.children("ddr.presets")));
            }
            cli.add("ddr.preset=" + spec.ddr());
        }
        if (spec.sramKb() != null) cli.add("sram.npu_kb=" + spec.sramKb());
        for (String a : spec.set()) {
            cli.add(a);
            int eq = a.indexOf('=');
            if (spec.policy() == Policy.ROCKET && eq > 0 && a.substring(0, eq).trim().equals(ROCKET_MHZ)) cli.add("clock.npu.mhz=" + a.substring(eq + 1));
        }
        return t.withAll(cli);
    }
}
