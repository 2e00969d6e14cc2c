package io.npusim.cli.report;
class ScratchDumpTest {
    @org.junit.jupiter.api.Test
    void dump() throws Exception {
        HtmlReport.write(ReportFixtures.sample(20000), java.nio.file.Path.of("/tmp/npusim-report/report.html"));
        HtmlReport.write(ReportFixtures.bare(), java.nio.file.Path.of("/tmp/npusim-report/bare.html"));
    }
}
