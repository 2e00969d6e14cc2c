package io.npusim.workloads.compile;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** First-fit packing of tensors by lifetime (layer indices), 256-byte aligned. */
class LivenessTest {

    @Test
    void aTensorReusesTheOffsetOfOneThatDiedBeforeItStarts() {
        Liveness l = new Liveness(256);
        // a: 1000 B -> 1024 aligned, alive in layers 0..1, placed at 0
        assertThat(l.place(1000, 0, 1)).isZero();
        // b: 500 B -> 512, alive 1..2; a is still alive at layer 1 -> after it, at 1024
        assertThat(l.place(500, 1, 2)).isEqualTo(1024);
        // c: 300 B -> 512, alive 2..3; a ended at layer 1 < 2 -> the 1024 B hole at 0 takes it
        assertThat(l.place(300, 2, 3)).isZero();
        // high-water mark: b's end, 1024 + 512
        assertThat(l.high()).isEqualTo(1536);
    }

    @Test
    void aTensorFitsAHoleBetweenLiveTensorsOnlyWhenItIsBigEnough() {
        Liveness l = new Liveness(256);
        assertThat(l.place(256, 0, 5)).isZero();      // [0, 256) until layer 5
        assertThat(l.place(256, 0, 1)).isEqualTo(256); // [256, 512) until layer 1
        assertThat(l.place(256, 0, 5)).isEqualTo(512); // [512, 768) until layer 5
        // at layer 2 the middle block is dead: a 256 B tensor takes the hole ...
        assertThat(l.place(200, 2, 3)).isEqualTo(256);
        // ... and a 512 B one, with the hole now used, goes above everything
        assertThat(l.place(512, 2, 3)).isEqualTo(768);
        assertThat(l.high()).isEqualTo(1280);
    }

    @Test
    void tensorsAliveAtTheSameTimeNeverOverlap() {
        Liveness l = new Liveness(64);
        long a = l.place(100, 0, 3); // 128 B
        long b = l.place(100, 1, 3);
        long c = l.place(100, 2, 3);
        assertThat(new long[] {a, b, c}).containsExactly(0, 128, 256);
        assertThat(l.high()).isEqualTo(384);
    }

    @Test
    void anEmptyPlanStillNeedsOneAlignedBlock() {
        assertThat(new Liveness(256).high()).isEqualTo(256);
    }
}
