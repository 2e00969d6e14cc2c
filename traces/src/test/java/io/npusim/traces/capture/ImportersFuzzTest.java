package io.npusim.traces.capture;

import static org.assertj.core.api.Assertions.assertThat;

import io.npusim.core.UserError;
import io.npusim.traces.format.Samples;
import io.npusim.traces.format.TraceReader;
import io.npusim.traces.format.TraceWriter;
import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Truncated and corrupted captures: an importer gives a capture (which writes a readable trace) or a clean UserError. */
class ImportersFuzzTest {
    private static final String[][] SAMPLES = {{"rknpu-bpftrace", "rknpu-bpftrace.txt"}, {"drm-sched-ftrace", "drm-sched-ftrace.txt"},
            {"drm-sched-ftrace", "drm-sched-ftrace-old-names.txt"}};

    static void importsOrRefusesCleanly(String format, byte[] b) {
        List<String> lines = new String(b, StandardCharsets.ISO_8859_1).lines().toList();
        try {
            Capture c = Importers.parse(format, lines, "f.txt");
            StringWriter w = new StringWriter();
            c.write(new TraceWriter("f.jsonl", w), null);
            new TraceReader().read(new ByteArrayInputStream(w.toString().getBytes(StandardCharsets.UTF_8)), "f.jsonl");
        } catch (UserError e) {
            assertThat(e.getMessage()).startsWith("f.").doesNotContain("\n");
        }
    }

    @Property(tries = 150)
    void truncated(@ForAll @IntRange(min = 0, max = 2) int sample, @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int at) {
        byte[] b = Samples.bytes(SAMPLES[sample][1]);
        importsOrRefusesCleanly(SAMPLES[sample][0], Arrays.copyOf(b, at % b.length));
    }

    @Property(tries = 300)
    void flipped(@ForAll @IntRange(min = 0, max = 2) int sample, @ForAll("flips") int[][] flips) {
        byte[] b = Samples.bytes(SAMPLES[sample][1]);
        for (int[] f : flips) b[Math.floorMod(f[0], b.length)] ^= (byte) (1 + Math.floorMod(f[1], 255));
        importsOrRefusesCleanly(SAMPLES[sample][0], b);
    }

    @Provide
    Arbitrary<int[][]> flips() {
        return Arbitraries.integers().array(int[].class).ofSize(2).array(int[][].class).ofMinSize(1).ofMaxSize(8);
    }
}
