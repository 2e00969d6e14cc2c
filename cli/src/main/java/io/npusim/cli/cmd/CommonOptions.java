package io.npusim.cli.cmd;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Options every simulating command takes. */
public final class CommonOptions {
    @Option(names = "--seed", description = "Run seed (default: the scenario's).")
    public Long seed;

    @Option(names = "--duration", description = "Simulated seconds (default: the scenario's).")
    public Double duration;

    @Option(names = "--json", description = "Print the summary as JSON on stdout.")
    public boolean json;

    @Option(names = "--out", description = "Result folder (default: results/<scenario>-<timestamp>/).")
    public Path out;

    @Option(names = "--quiet", description = "No progress or notes on stderr.")
    public boolean quiet;

    @Option(names = "--model", description = "Model for every client of the scenario (see `npusim models`).")
    public String model;

    @Option(names = "--trace", description = "Timeline detail in trace.json: none, summary (counters only) or full, capped near a million events (default: ${DEFAULT-VALUE}).", defaultValue = "full")
    public String trace;

    @Option(names = "--npu-mhz", description = "NPU clock in MHz (an OPP from 300 to 1000, or the 200 MHz boot rate).")
    public Integer npuMhz;

    @Option(names = "--ddr", description = "DDR preset: lpddr4x-4224, lpddr5-4800, lpddr5-5500.")
    public String ddr;

    @Option(names = "--sram-kb", description = "System SRAM given to the NPU, 0 to 956 KiB.")
    public Integer sramKb;

    @Option(names = "--set", description = "Override any configuration key: --set key=value (repeatable).")
    public List<String> set = new ArrayList<>();
}
