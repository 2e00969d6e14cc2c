package io.npusim.traces.format;

import static org.assertj.core.api.Assertions.assertThat;

import io.npusim.core.UserError;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Truncated and corrupted traces: the reader returns a trace or a one-line UserError, never anything else. */
class TraceFuzzTest {
    private static final byte[] RECORDED = Samples.bytes("vision-single-rknpu.npusim.jsonl");
    private static final byte[] TINY = Samples.tiny().getBytes(StandardCharsets.UTF_8);

    static void readsOrRefusesCleanly(byte[] b) {
        try {
            new TraceReader().read(new ByteArrayInputStream(b), "f.jsonl");
        } catch (UserError e) {
            assertThat(e.getMessage()).startsWith("f.jsonl").doesNotContain("\n").doesNotContain("Exception");
        }
    }

    @Property(tries = 150)
    void truncatedAnywhere(@ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int at) {
        byte[] cut = Arrays.copyOf(RECORDED, at % RECORDED.length);
        readsOrRefusesCleanly(cut);
    }

    @Property(tries = 300)
    void flippedBytes(@ForAll("flips") int[][] flips, @ForAll boolean tiny) {
        byte[] b = (tiny ? TINY : RECORDED).clone();
        for (int[] f : flips) b[Math.floorMod(f[0], b.length)] ^= (byte) (1 + Math.floorMod(f[1], 255));
        readsOrRefusesCleanly(b);
    }

    @Property(tries = 200)
    void replacedBytes(@ForAll("flips") int[][] flips) {
        byte[] b = TINY.clone();
        String alphabet = "0123456789-.:,{}[]\"e \n";
        for (int[] f : flips) b[Math.floorMod(f[0], b.length)] = (byte) alphabet.charAt(Math.floorMod(f[1], alphabet.length()));
        readsOrRefusesCleanly(b);
    }

    @Provide
    Arbitrary<int[][]> flips() {
        Arbitrary<int[]> one = Arbitraries.integers().array(int[].class).ofSize(2);
        return one.array(int[][].class).ofMinSize(1).ofMaxSize(6);
    }
}
