package io.npusim.system.verdicts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The share arithmetic, and the ablation of camera-and-chat on a short run. */
class AblationTest {
    @Test
    void aShareIsTheLostPartOfTheGapWhicheverWayTheFigureIsBetter() {
        // tokens/s (higher is better): proposed 11, rknpu 7, without the mechanism 9 -> half the gap
        assertThat(Ablation.share(11, 9, 7)).isCloseTo(0.5, within(1e-9));
        // p99 (lower is better): proposed 24, rknpu 26, without it 28 -> twice the gap (worse than rknpu)
        assertThat(Ablation.share(24, 28, 26)).isCloseTo(2.0, within(1e-9));
        // the mechanism hurts here: without it proposed is better still
        assertThat(Ablation.share(24, 23, 26)).isNegative();
        assertThat(Ablation.share(0, 0, 0)).isNaN(); // no gap to account for
        assertThat(Ablation.share(5, Double.NaN, 3)).isNaN();
    }

    @Test
    void cameraAndChatOnAShortRun() {
        Ablation.Result r = Ablation.run("camera-and-chat", 10.0, 2);
        assertThat(r.rows()).extracting(row -> row.mechanism().name()).containsExactly("preemption", "keep_iommu_attached",
                "variant_choice", "sram_by_class", "explicit_sync", "residency", "batch_tasks");
        // the gaps: proposed decodes faster than rknpu and rocket beside the camera, and drops no frame
        assertThat(r.proposed().chatTokensPerS()).isGreaterThan(r.rknpu().chatTokensPerS());
        assertThat(r.proposed().dropped()).isZero();
        assertThat(r.rocket().dropped()).isPositive();
        for (Ablation.Row row : r.rows()) {
            switch (row.mechanism().name()) {
                // never fire in this scenario (no batch boundary inside a chat part; one job in flight per file; one SRAM client)
                case "preemption", "explicit_sync", "sram_by_class" -> {
                    assertThat(row.tokens().vsRknpu()).as(row.mechanism().name()).isZero();
                    assertThat(row.off().p99Ms()).isEqualTo(row.base().p99Ms());
                }
                // each accounts for a real part of the chat's gain over rknpu
                case "keep_iommu_attached", "batch_tasks" -> assertThat(row.tokens().vsRknpu()).as(row.mechanism().name()).isBetween(0.2, 1.0);
                // without residency every job maps the whole model: the chat collapses below rknpu
                case "residency" -> assertThat(row.tokens().vsRknpu()).isGreaterThan(1.0);
                default -> { }
            }
        }
        assertThat(r.allOff().off().chatTokensPerS()).isLessThan(r.rknpu().chatTokensPerS());
        List<String> cmds = Ablation.commands(r, 10.0);
        assertThat(cmds).hasSize(2);
        assertThat(cmds.get(0)).contains("--variants rknpu,rocket,proposed,proposed+preemption=false").contains("--duration 10");
        assertThat(cmds.get(1)).contains("--sram-kb 956 --variants proposed,proposed+sram_by_class=false");
    }
}
