package io.npusim.cli.report;

import java.util.List;
import java.util.Map;

/**
 * One run in a report.
 *
 * @param name            "rocket", "rknpu", "proposed" or a variant such as "rocket+hw_task_chaining"
 * @param summary         the run's summary.json object (nested maps and lists; fields may be missing)
 * @param clients         latency CDF per client
 * @param coreUtilisation one series per NPU core: x = seconds, y = busy percent per bucket
 * @param ddrBandwidth    x = seconds, y = GB/s
 * @param queueDepth      kernel queue depth over time, one series per queue (x s, y jobs)
 * @param profile         per-layer profile of one inference of each client
 * @param memory          per-client memory report
 * @param notes           plain sentences naming the largest differences
 */
public record Run(String name,
                  Map<String, Object> summary,
                  List<ClientSeries> clients,
                  List<Series> coreUtilisation,
                  Series ddrBandwidth,
                  List<Series> queueDepth,
                  List<LayerRow> profile,
                  List<MemoryRow> memory,
                  List<String> notes) {}
