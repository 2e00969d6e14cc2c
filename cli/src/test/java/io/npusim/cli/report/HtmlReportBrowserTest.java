package io.npusim.cli.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens the report in a real headless Chromium: the page must load without console errors and its screenshot must
 * show something. Skipped when no browser is installed, except on CI (environment variable {@code CI} set), where a
 * missing browser fails.
 */
class HtmlReportBrowserTest {
    private static final long TIMEOUT_S = 120;

    record Result(int exit, String stdout, String stderr) {}

    static Path browser() {
        List<Path> candidates = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                if (dir.isBlank()) continue;
                candidates.add(Path.of(dir, "chromium"));
                candidates.add(Path.of(dir, "chromium-browser"));
            }
        }
        candidates.add(Path.of("/usr/bin/chromium"));
        for (Path p : candidates) if (Files.isRegularFile(p) && Files.isExecutable(p)) return p;
        return null;
    }

    static Path requireBrowser() {
        Path b = browser();
        if (b == null) {
            String msg = "no chromium or chromium-browser on PATH or at /usr/bin/chromium";
            if (System.getenv("CI") != null) fail(msg + ", and CI is set: install a headless Chromium (apt-get install -y chromium)");
            Assumptions.assumeTrue(false, msg + "; headless-browser check skipped (set CI to make this a failure)");
        }
        return b;
    }

    static Result run(Path browser, Path tmp, String tag, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(browser.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + tmp.resolve("profile-" + tag)));
        cmd.addAll(List.of(args));
        Path out = tmp.resolve(tag + ".stdout"), err = tmp.resolve(tag + ".stderr");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            fail("chromium did not finish within " + TIMEOUT_S + " s: " + String.join(" ", cmd));
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    static Result dumpDom(Path browser, Path tmp, Path page, String tag) throws IOException, InterruptedException {
        return run(browser, tmp, tag, "--enable-logging=stderr", "--v=0", "--virtual-time-budget=5000", "--dump-dom", page.toUri().toString());
    }

    /** Console lines (this Chromium logs console.error as INFO:CONSOLE, so every console line counts) and uncaught errors. */
    static List<String> consoleProblems(String stderr) {
        List<String> out = new ArrayList<>();
        for (String line : stderr.split("\n")) {
            if (line.contains("Uncaught") || line.contains("ERROR:CONSOLE") || line.contains(":CONSOLE")) out.add(line);
        }
        return out;
    }

    @Test
    void reportLoadsWithoutConsoleErrorsAndIsNotBlank(@TempDir Path tmp) throws Exception {
        Path browser = requireBrowser();
        Path page = tmp.resolve("report.html");
        ReportModel model = ReportFixtures.sample(5000);
        HtmlReport.write(model, page);
        int svgs = HtmlReportTest.svgBlocks(HtmlReport.render(model)).size();

        Path png = tmp.resolve("report.png");
        Result shot = run(browser, tmp, "shot", "--screenshot=" + png, "--window-size=1280,2000", page.toUri().toString());
        assertThat(shot.exit()).as("chromium exit code; stderr:\n%s", shot.stderr()).isZero();
        assertThat(png).as("screenshot; stderr:\n%s", shot.stderr()).exists();
        BufferedImage img = ImageIO.read(png.toFile());
        assertThat(img).isNotNull();
        assertThat(img.getWidth()).isEqualTo(1280);
        int first = img.getRGB(0, 0);
        boolean varied = false, orange = false;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int c = img.getRGB(x, y);
                if (c != first) varied = true;
                int r = (c >> 16) & 0xff, g = (c >> 8) & 0xff, b = c & 0xff;
                if (Math.abs(r - 0xE6) <= 8 && Math.abs(g - 0x9F) <= 8 && b <= 12) orange = true; // an SVG-only palette colour
            }
        }
        assertThat(varied).as("screenshot is one flat colour").isTrue();
        assertThat(orange).as("screenshot shows the charts' orange (#E69F00)").isTrue();

        Result dom = dumpDom(browser, tmp, page, "dom");
        assertThat(dom.exit()).as("chromium exit code; stderr:\n%s", dom.stderr()).isZero();
        assertThat(consoleProblems(dom.stderr())).as("console messages").isEmpty();
        assertThat(dom.stdout()).contains("npusim: mixed vision + LLM").contains("</html>");
        assertThat(dom.stdout().split("<svg", -1).length - 1).isEqualTo(svgs);
    }

    @Test
    void theConsoleCheckCatchesAScriptError(@TempDir Path tmp) throws Exception {
        Path browser = requireBrowser();
        Path page = tmp.resolve("broken.html");
        Files.writeString(page, "<!DOCTYPE html><html><body><p>x</p><script>throw new Error('deliberate');</script></body></html>");
        Result dom = dumpDom(browser, tmp, page, "broken");
        assertThat(consoleProblems(dom.stderr())).anySatisfy(l -> assertThat(l).contains("deliberate"));
    }
}
