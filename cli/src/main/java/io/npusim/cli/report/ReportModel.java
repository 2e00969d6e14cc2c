package io.npusim.cli.report;

import java.util.List;
import java.util.Map;

/**
 * Everything one HTML report shows: a scenario, one or more runs of it (policies or variants) and free-form
 * metadata for the header (version, config hash, ...). Rendered by {@link HtmlReport}.
 */
public record ReportModel(String scenario, String title, List<Run> runs, Map<String, String> meta) {}
