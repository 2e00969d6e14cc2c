package io.npusim.cli.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

class SvgPlotTest {
    static Document parse(String xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void downsamplingCapsPointsAndKeepsSpikes() {
        int n = 1_000_000;
        double[] x = new double[n], y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i;
            y[i] = 1;
        }
        y[123_457] = 1000;
        y[777_777] = -50;
        double[][] d = SvgPlot.downsample(x, y, SvgPlot.MAX_POINTS);
        assertThat(d[0].length).isLessThanOrEqualTo(SvgPlot.MAX_POINTS).isEqualTo(d[1].length).isGreaterThan(100);
        assertThat(d[1]).contains(1000.0, -50.0);
        assertThat(d[0][0]).isEqualTo(0);
        assertThat(d[0][d[0].length - 1]).isEqualTo(n - 1);
        for (int i = 1; i < d[0].length; i++) assertThat(d[0][i]).isGreaterThan(d[0][i - 1]);
    }

    @Test
    void shortSeriesAreKeptAndNonFinitePointsDropped() {
        double[][] d = SvgPlot.downsample(new double[] {0, 1, 2, 3}, new double[] {1, Double.NaN, 3, Double.POSITIVE_INFINITY}, 600);
        assertThat(d[0]).containsExactly(0, 2);
        assertThat(d[1]).containsExactly(1, 3);
    }

    @Test
    void ticksAreRoundNumbersCoveringTheRange() {
        assertThat(SvgPlot.niceTicks(0, 97, 5)).containsExactly(0, 20, 40, 60, 80, 100);
        assertThat(SvgPlot.niceTicks(0, 1, 5)).containsExactly(0, 0.2, 0.4, 0.6000000000000001, 0.8, 1);
        assertThat(SvgPlot.tickLabels(SvgPlot.niceTicks(0, 1, 5))).containsExactly("0.0", "0.2", "0.4", "0.6", "0.8", "1.0");
        assertThat(SvgPlot.tickLabels(SvgPlot.niceTicks(12.3, 47.9, 7))).containsExactly("10", "20", "30", "40", "50");
        double[] flat = SvgPlot.niceTicks(5, 5, 5);
        assertThat(flat[0]).isLessThanOrEqualTo(5);
        assertThat(flat[flat.length - 1]).isGreaterThan(5);
    }

    @Test
    void lineChartIsWellFormedEscapedAndSmall() throws Exception {
        int n = 200_000;
        double[] x = new double[n], y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i / 1000.0;
            y[i] = Math.sin(i / 300.0) * 5 + 5;
        }
        String svg = SvgPlot.lines(SvgPlot.LineChart.of("A <b> & \"c\"", "time (s)", "GB/s", List.of(
                new SvgPlot.Line("x<&>y", x, y), new SvgPlot.Line("one point", new double[] {1}, new double[] {2}))));
        Document d = parse(svg);
        assertThat(d.getDocumentElement().getLocalName()).isEqualTo("svg");
        assertThat(d.getDocumentElement().getElementsByTagName("title").item(0).getTextContent()).isEqualTo("A <b> & \"c\"");
        assertThat(svg).contains("x&lt;&amp;&gt;y").doesNotContain("x<&>y");
        assertThat(svg.length()).isLessThan(40_000);
        String points = svg.substring(svg.indexOf("points=\"") + 8);
        points = points.substring(0, points.indexOf('"'));
        assertThat(points.split(" ")).hasSizeLessThanOrEqualTo(SvgPlot.MAX_POINTS);
        assertThat(svg).contains("time (s)").contains("GB/s");
    }

    @Test
    void emptyChartsStillRender() throws Exception {
        String a = SvgPlot.lines(SvgPlot.LineChart.of("nothing", "x", "y", List.of()));
        String b = SvgPlot.stackedBars(SvgPlot.BarChart.of("nothing", "ms", List.of("a"), List.of()));
        parse(a);
        parse(b);
        assertThat(a).contains("no data");
        assertThat(b).contains("no data");
    }

    @Test
    void stackedBarsAreWellFormedAndDeterministic() throws Exception {
        SvgPlot.BarChart c = SvgPlot.BarChart.of("breakdown", "ms", List.of("compute", "wait<>"), List.of(
                new SvgPlot.Bar("cam&1", "rocket", new double[] {3, 1}),
                new SvgPlot.Bar("cam&1", "rknpu", new double[] {2, Double.NaN}),
                new SvgPlot.Bar("chat", "rocket", new double[] {-1, 4})));
        String svg = SvgPlot.stackedBars(c);
        parse(svg);
        assertThat(svg).isEqualTo(SvgPlot.stackedBars(c)).contains("cam&amp;1").contains("wait&lt;&gt;");
        assertThat(svg.split("<rect ", -1).length - 1).isEqualTo(1 + 4 + 2); // background, 4 segments, 2 legend swatches
    }
}
