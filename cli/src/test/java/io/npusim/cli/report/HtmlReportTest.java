package io.npusim.cli.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

class HtmlReportTest {
    static final Pattern SVG = Pattern.compile("<svg\\b.*?</svg>", Pattern.DOTALL);

    static List<String> svgBlocks(String html) {
        List<String> out = new ArrayList<>();
        Matcher m = SVG.matcher(html);
        while (m.find()) out.add(m.group());
        return out;
    }

    @Test
    void containsEverySectionAndChart() {
        String html = HtmlReport.render(ReportFixtures.sample(2000));
        assertThat(html).startsWith("<!DOCTYPE html>").contains("<svg").endsWith("</html>\n");
        for (String id : List.of("comparison", "notes", "breakdown", "cdf", "utilisation", "ddr", "queues", "profile", "memory")) {
            assertThat(html).contains("<section id=\"" + id + "\">");
        }
        // 1 breakdown + 2 CDFs + 3 utilisation + 1 DDR + 3 queue charts
        assertThat(svgBlocks(html)).hasSize(10);
        assertThat(html).contains("TTFT (ms)").contains("350.50").contains("14.20") // LLM columns
                .contains("61.2 / 40.5 / 12.0").contains("70.0 / 55.5 / 20.0").contains("956.0").contains("0.0123")
                .contains("4567").contains("8910").contains("rocket+hw_task_chaining")
                .contains("<dt>version</dt><dd>0.1.0</dd>").contains("ab12&lt;cd&gt;")
                .contains("mixed-vision-llm").contains("<dt>Seed</dt><dd>7</dd>").contains("<dt>Simulated</dt><dd>10.000 s</dd>");
        assertThat(html).contains("<li>rknpu halves p99 latency of cam&lt;&amp;&gt;&quot;1&quot; &amp; chat</li>");
    }

    @Test
    void loadsNothingFromTheNetwork() {
        String html = HtmlReport.render(ReportFixtures.sample(500));
        assertThat(html).doesNotContainPattern("(?i)(src|href|action|poster|data)\\s*=\\s*[\"']?\\s*(https?:)?//");
        assertThat(html).doesNotContainPattern("(?i)@import").doesNotContainPattern("(?i)url\\(").doesNotContainPattern("(?i)<link\\b")
                .doesNotContainPattern("(?i)<script[^>]*\\bsrc").doesNotContainPattern("(?i)<(img|iframe|object|embed)\\b");
        // the only absolute URL is the SVG namespace name, which is never fetched
        assertThat(html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "")).doesNotContain("http://").doesNotContain("https://");
    }

    @Test
    void everySvgIsWellFormedXml() throws Exception {
        String html = HtmlReport.render(ReportFixtures.sample(3000));
        List<String> blocks = svgBlocks(html);
        assertThat(blocks).isNotEmpty();
        for (String svg : blocks) {
            Document d = SvgPlotTest.parse(svg);
            assertThat(d.getDocumentElement().getLocalName()).isEqualTo("svg");
            assertThat(d.getDocumentElement().getNamespaceURI()).isEqualTo("http://www.w3.org/2000/svg");
        }
        assertThat(svgBlocks(HtmlReport.render(ReportFixtures.bare()))).allSatisfy(svg -> {
            try {
                SvgPlotTest.parse(svg);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }

    @Test
    void textIsEscaped() {
        String html = HtmlReport.render(ReportFixtures.sample(100));
        assertThat(html).doesNotContain(ReportFixtures.ODD_CLIENT).doesNotContain("cam<&>")
                .contains("cam&lt;&amp;&gt;&quot;1&quot;").contains("rocket-sched&lt;0&gt;").contains("shared &lt;RO&gt;");
    }

    @Test
    void sameModelSameBytes() {
        String a = HtmlReport.render(ReportFixtures.sample(5000));
        String b = HtmlReport.render(ReportFixtures.sample(5000));
        assertThat(a).isEqualTo(b);
    }

    @Test
    void largeSeriesDoNotMakeLargeFiles() {
        String html = HtmlReport.render(ReportFixtures.sample(300_000));
        assertThat(html.length()).isLessThan(600_000);
        Matcher m = Pattern.compile("points=\"([^\"]*)\"").matcher(html);
        int lines = 0;
        while (m.find()) {
            lines++;
            assertThat(m.group(1).split(" ")).hasSizeLessThanOrEqualTo(SvgPlot.MAX_POINTS);
        }
        assertThat(lines).isGreaterThan(10);
    }

    @Test
    void missingFieldsRenderAsDash() {
        String html = HtmlReport.render(ReportFixtures.bare());
        String dash = "<td class=\"n\">-</td>";
        assertThat(html).contains("<tr class=\"group\"><td>lonely</td><td>bare</td><td>-</td><td>-</td>" + dash.repeat(8) + "</tr>");
        assertThat(html).contains("<tr><td>bare</td><td>-</td>" + dash.repeat(16) + "</tr>"); // NPU and kernel, per-inference counts included
        assertThat(html).contains("<td>lonely</td><td>bare</td>" + dash.repeat(10) + "</tr>"); // breakdown table
        assertThat(html).contains("<dt>Scenario</dt><dd>-</dd>").contains("<dt>Seed</dt><dd>-</dd>").contains("<dt>Simulated</dt><dd>-</dd>")
                .contains("<title>npusim report</title>");
        assertThat(html).contains("No notes.").contains("No profile.").contains("No memory report.").contains("no data");
        String page = html.substring(0, html.indexOf("<script>"));
        assertThat(page).doesNotContain("null").doesNotContain("NaN").doesNotContain("Infinity").doesNotContain("TTFT");
    }

    @Test
    void emptyModelRenders() {
        String html = HtmlReport.render(new ReportModel(null, null, null, null));
        assertThat(html).contains("No runs.").contains("</html>");
    }

    @Test
    void profileShowsTheSlowestLayersAndCountsTheRest() {
        String html = HtmlReport.render(ReportFixtures.sample(100));
        String p = html.substring(html.indexOf("<section id=\"profile\">"), html.indexOf("<section id=\"memory\">"));
        assertThat(p).contains("15 more layers not shown (").contains(": 55 layers, ").contains(": 12 layers, ");
        String firstTable = p.substring(p.indexOf("<tbody>"), p.indexOf("</tbody>"));
        assertThat(firstTable.split("<tr>", -1).length - 1).isEqualTo(HtmlReport.PROFILE_TOP);
        // slowest first: layer times are 0.05 + (l*7 % 11)*0.01, so the first row has 0.1500 ms
        assertThat(firstTable.substring(0, firstTable.indexOf("</tr>"))).contains("0.1500");
        assertThat(p.split("more layers not shown", -1).length - 1).isEqualTo(3); // one per run, only the vision client is cut
    }

    @Test
    void writeCreatesTheFile(@TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("sub/report.html");
        ReportModel m = ReportFixtures.sample(100);
        HtmlReport.write(m, f);
        assertThat(Files.readString(f, StandardCharsets.UTF_8)).isEqualTo(HtmlReport.render(m));
    }
}
