package io.npusim.workloads.compile;

import static io.npusim.workloads.compile.CompileFixtures.dma;
import static io.npusim.workloads.compile.CompileFixtures.oneCore;
import static io.npusim.workloads.compile.CompileFixtures.rknn;
import static io.npusim.workloads.compile.CompileFixtures.tasks;
import static io.npusim.workloads.compile.CompileFixtures.teflon;
import static org.assertj.core.api.Assertions.assertThat;

import io.npusim.hw.npu.TaskOp;
import io.npusim.workloads.graph.DType;
import io.npusim.workloads.graph.Graph;
import io.npusim.workloads.graph.GraphBuilder;
import io.npusim.workloads.graph.Precision;
import io.npusim.workloads.graph.Tensor;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * CBUF tiling, checked through both compilers: Mesa's rkt_split_tasks (Teflon,
 * rocket-upstream.md 4.3) and the vendor rule with a fixed number of feature banks (RKNN,
 * rknn.tile_data_banks = 3). CBUF: 12 banks of 32768 bytes; int8 rows are W x ceil(C/16)*16 bytes.
 */
class TilerTest {

    @BeforeAll
    static void constants() {
        CompileFixtures.checkHandCalculationConstants();
    }

    /** One conv, input 1 x cin x h x w (uint8 per tensor), k x k, stride 1, padding k/2, cin -> cout. */
    private static Graph conv(int cin, int h, int w, int cout, int k) {
        GraphBuilder b = new GraphBuilder("conv" + k + "_" + cin + "x" + h + "x" + w, Precision.int8PerTensor());
        Tensor x = b.input("x", DType.UINT8, 1, cin, h, w);
        b.output(b.conv("conv", x, cout, k, 1));
        return b.build();
    }

    @Test
    void tallInputIsCutAlongHeightByMesasRule() {
        // 32 -> 32, 3x3, on 256 x 256. Kernel 3*3*32*32 = 9216 B -> ceil(9216/32768) + 1 = 2 weight
        // banks; 2 + 1 < 12 so the weights stay resident and the input gets 12 - 2 = 10 banks =
        // 327680 B. One row is 256 * 32 = 8192 B: the 2 MiB input does not fit; 327680 / 8192 = 40
        // rows per task give (40 - 3) / 1 + 1 = 38 output rows -> ceil(256 / 38) = 7 tasks
        // (rkt_split_tasks' slice loop gives 7 too: tops 0, 38, 76, ..., 228).
        Program p = teflon().compile(conv(32, 256, 256, 32, 3)).program();
        List<TaskPlan> t = tasks(p);
        assertThat(t).hasSize(7);
        assertThat(t).allSatisfy(task -> {
            assertThat(task.cbuf().dataBanks()).isEqualTo(10);
            assertThat(task.cbuf().weightBanks()).isEqualTo(2);
        });
        // weights resident: only the first task loads them, the others set WEIGHT_REUSE
        assertThat(dma(t.get(0), TaskOp.Operand.WEIGHT)).hasSize(1);
        assertThat(t.get(0).cbuf().weightReuse()).isFalse();
        for (TaskPlan task : t.subList(1, 7)) {
            assertThat(task.cbuf().weightReuse()).isTrue();
            assertThat(dma(task, TaskOp.Operand.WEIGHT)).isEmpty();
        }
        // middle tiles: 40 input rows each, starting 38 rows apart -> they overlap by kh - 1 = 2 rows
        TaskPlan.Dma f1 = dma(t.get(1), TaskOp.Operand.FEATURE).get(0);
        TaskPlan.Dma f2 = dma(t.get(2), TaskOp.Operand.FEATURE).get(0);
        assertThat(f1.bytes()).isEqualTo(40L * 8192);
        assertThat(f2.offset() - f1.offset()).isEqualTo(38L * 8192);
        assertThat(f1.offset() + f1.bytes() - f2.offset()).isEqualTo(2L * 8192);
        // output rows add up to the whole map: 6 tiles of 38 rows + 28 rows = 256 rows of 8192 B
        long out = t.stream().mapToLong(task -> dma(task, TaskOp.Operand.OUTPUT).get(0).bytes()).sum();
        assertThat(out).isEqualTo(256L * 8192);
        assertThat(t.stream().mapToLong(TaskPlan::macs).sum()).isEqualTo(256L * 256 * 32 * 32 * 9);
    }

    @Test
    void tallInputUnderTheVendorRuleUsesThreeFeatureBanks() {
        // Same conv. Vendor: 3 feature banks = 98304 B -> 98304 / 8192 = 12 rows -> (12 - 3) + 1 = 10
        // output rows per task -> ceil(256 / 10) = 26 tasks. The 9216 B kernel fits the other
        // 9 banks (294912 B) -> one pass over the output channels.
        Program p = rknn().compile(conv(32, 256, 256, 32, 3), oneCore());
        assertThat(p.taskCount()).isEqualTo(26);
        assertThat(tasks(p)).allSatisfy(task -> assertThat(task.cbuf().dataBanks()).isEqualTo(3));
    }

    @Test
    void mesaCountsKernelBytesOnlyForTheWeightBanks() {
        // 512 -> 512 1x1 on 24 x 8 (MobileNetV1's 512x512 pointwise shape). rkt_task.c
        // calc_weights_banks counts kw*kh*Cin*Cout = 262144 B = 8 banks, + 1 = 9 weight banks; the
        // 2048 B of int32 biases live in their own BO and are not counted. 9 + 1 < 12: resident,
        // 12 - 9 = 3 input banks = 98304 B. The input is 24 rows * 8 * 512 = 98304 B: it fits ->
        // 1 task. (Counting the biases too would give 10 weight banks, 2 input banks and 2 tasks.)
        Program p = teflon().compile(conv(512, 24, 8, 512, 1)).program();
        assertThat(p.taskCount()).isEqualTo(1);
        TaskPlan t = tasks(p).get(0);
        assertThat(t.cbuf().dataBanks()).isEqualTo(3);
        assertThat(t.cbuf().weightBanks()).isEqualTo(9);
        assertThat(dma(t, TaskOp.Operand.WEIGHT).get(0).bytes()).isEqualTo(262144);
        assertThat(dma(t, TaskOp.Operand.BIAS).get(0).bytes()).isEqualTo(512 * 4);
    }

    @Test
    void mesaKeepsAWholeInputThatFitsInOneTaskWhateverThePadding() {
        // 16 -> 16 3x3 pad 1 on 320 x 64. Kernel 2304 B -> 1 + 1 = 2 weight banks, 10 input banks =
        // 327680 B. One row is 64 * 16 = 1024 B, the input 320 * 1024 = 327680 B: it fits exactly,
        // and rkt_split_tasks emits one task ("Full weights, full input") even though a tile of 320
        // input rows yields only 318 output rows without its padding.
        Program p = teflon().compile(conv(16, 320, 64, 16, 3)).program();
        assertThat(p.taskCount()).isEqualTo(1);
        TaskPlan t = tasks(p).get(0);
        assertThat(dma(t, TaskOp.Operand.FEATURE).get(0).bytes()).isEqualTo(327680);
        assertThat(dma(t, TaskOp.Operand.OUTPUT).get(0).bytes()).isEqualTo(320L * 1024);
        // one more row no longer fits: 320 rows per task -> (320 - 3) + 1 = 318 output rows ->
        // ceil(321 / 318) = 2 tasks (rkt_split_tasks: slices 0-319 and 318-320)
        assertThat(teflon().compile(conv(16, 321, 64, 16, 3)).program().taskCount()).isEqualTo(2);
    }

    @Test
    void mesaStreamsWeightsThatDoNotFitWithSevenInputBanks() {
        // 256 -> 256 3x3 on 64 x 32. Kernel 3*3*256*256 = 589824 B = 18 banks, + 1 = 19; 19 + 1 >= 12:
        // "partial weights, partial input", 7 input banks (229376 B) and 5 weight banks, no reuse.
        // One row is 32 * 256 = 8192 B -> 28 rows per task -> 26 output rows -> ceil(64 / 26) = 3
        // tasks (rkt_split_tasks: slices 0-27, 26-53, 52-63), every one loading the weights again.
        Program p = teflon().compile(conv(256, 64, 32, 256, 3)).program();
        List<TaskPlan> t = tasks(p);
        assertThat(t).hasSize(3);
        assertThat(t).allSatisfy(task -> {
            assertThat(task.cbuf().dataBanks()).isEqualTo(7);
            assertThat(task.cbuf().weightBanks()).isEqualTo(5);
            assertThat(task.cbuf().weightReuse()).isFalse();
            assertThat(dma(task, TaskOp.Operand.WEIGHT)).singleElement().satisfies(d -> assertThat(d.bytes()).isEqualTo(589824));
        });
    }

    @Test
    void vendorSplitsWeightsThatDoNotFitIntoOutputChannelPasses() {
        // 256 -> 192 3x3 on 64 x 32 under RKNN. The vendor rule counts the weight block, kernel
        // 3*3*256*192 = 442368 B plus 768 B of biases = 443136 B, against the 9 banks left by the
        // 3 feature banks (294912 B): ceil(443136 / 294912) = 2 passes of ceil(192/2) = 96 output
        // channels (32-aligned), each re-reading the input. Tiles: 98304 B / (32 * 256 = 8192 B) =
        // 12 rows -> 10 output rows -> ceil(64 / 10) = 7 per pass; 2 * 7 = 14 tasks. Each pass's
        // first task loads its half of the weight block.
        Program p = rknn().compile(conv(256, 64, 32, 192, 3), oneCore());
        List<TaskPlan> t = tasks(p);
        assertThat(t).hasSize(14);
        assertThat(t).allSatisfy(task -> assertThat(task.shape().outC()).isEqualTo(96));
        List<TaskPlan> loading = t.stream().filter(task -> !dma(task, TaskOp.Operand.WEIGHT).isEmpty()).toList();
        assertThat(loading).containsExactly(t.get(0), t.get(7));
        assertThat(loading).allSatisfy(task -> assertThat(dma(task, TaskOp.Operand.WEIGHT).get(0).bytes()).isEqualTo(443136 / 2));
        assertThat(t.stream().mapToLong(TaskPlan::macs).sum()).isEqualTo(64L * 32 * 192 * 256 * 9);
    }

}
