package io.npusim.hw.npu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.npusim.core.time.Time;
import io.npusim.hw.HwRig;
import io.npusim.hw.Rk3588;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NpuCoreTest {
    @Test
    void alignedInt8ConvWithEverythingResidentTakesMacsOver1024PlusSetup() {
        HwRig rig = new HwRig();
        // 64 -> 64 channels, 3x3, 56x56: channels are whole atoms, so no padding loss; the array
        // sustains npu.mac_efficiency of its 1024 MACs per cycle
        TaskOp op = rig.conv(64, 56, 56, 64, 3, Dtype.INT8);
        TaskRecord r = rig.runAlone(0, op);
        double eff = rig.hw.npuParams().macEfficiency(Dtype.INT8);
        assertThat(eff).isBetween(0.8, 1.0);
        long ideal = (long) Math.ceil(op.macs() / (1024 * eff));
        assertThat(r.pipelineCycles()).isEqualTo(ideal);
        // at 1 GHz a cycle is 1 ns; the task takes the compute time plus the documented fixed costs
        long setup = 600 + 200; // npu.task.setup_cycles + drain_cycles
        double expectedPs = (ideal + setup) * 1000.0 + r.overheadPs() * 0; // compute-bound: memory keeps up
        assertThat(r.computePs()).isCloseTo(ideal * 1000.0, within(2000.0));
        assertThat(r.durationPs() - r.overheadPs() - r.walkLatencyPs()).isCloseTo(ideal * 1000L, within(2000L));
        assertThat(r.overheadPs()).isGreaterThanOrEqualTo(setup * 1000L);
        assertThat(r.memStallPs()).isLessThan(0.01 * r.computePs());
        assertThat(expectedPs).isPositive();
    }

    @Test
    void channelAtomsAndTheDpuFloorCostCycles() {
        NpuParams p = new HwRig().hw.npuParams();
        // a 3-channel stem pays for a 16-channel atom
        TaskOp stem = op(TaskOp.Kind.CONV, new TaskOp.Shape(3, 224, 224, 32, 112, 112, 3, 3, 2, 2, 1));
        TaskTiming.Cost c = TaskTiming.cost(stem, p, 1_000_000);
        assertThat(c.paddedMacs()).isEqualTo(112L * 112 * 9 * 16 * 32);
        // a 1x1 32->32 conv is bound by the DPU writing 8 elements per cycle, not by the MACs
        TaskOp pw = op(TaskOp.Kind.CONV, new TaskOp.Shape(32, 160, 160, 32, 160, 160, 1, 1, 1, 1, 1));
        TaskTiming.Cost pc = TaskTiming.cost(pw, p, 1_000_000);
        assertThat(pc.cycles()).isEqualTo(pc.dpuCycles()).isEqualTo(160L * 160 * 32 / 8);
        assertThat(pc.macCycles()).isLessThan(pc.dpuCycles());
        // depthwise runs at 64 MACs per cycle
        TaskOp dw = op(TaskOp.Kind.DEPTHWISE, new TaskOp.Shape(64, 56, 56, 64, 56, 56, 3, 3, 1, 1, 64));
        assertThat(TaskTiming.cost(dw, p, 1_000_000).macCycles()).isEqualTo(56L * 56 * 9 * 64 / 64);
        // fp16 is half the int8 rate
        TaskOp f16 = new TaskOp("c", TaskOp.Kind.CONV, Dtype.FP16, new TaskOp.Shape(64, 56, 56, 64, 56, 56, 3, 3, 1, 1, 1),
                TaskOp.Cbuf.NONE, TaskOp.Post.NONE, List.of(), 0);
        TaskOp i8 = op(TaskOp.Kind.CONV, new TaskOp.Shape(64, 56, 56, 64, 56, 56, 3, 3, 1, 1, 1));
        double ratio = TaskTiming.cost(f16, p, 1_000_000).macCycles() / (double) TaskTiming.cost(i8, p, 1_000_000).macCycles();
        assertThat(ratio).isCloseTo(2 * p.macEfficiency(Dtype.INT8) / p.macEfficiency(Dtype.FP16), within(1e-4));
    }

    @Test
    void featureIoIsARateInBytesPerSecondAndOneByOneKernelsSustainLess() {
        NpuParams p = new HwRig().hw.npuParams();
        // a 256 -> 32 1x1 layer: at 1 GHz its 288 bytes of input and output per pixel (36 cycles at
        // 8 GB/s) bound it, not its MACs (~12 cycles per pixel) nor the DPU (4)
        long in = 256L * 64 * 64, out = 32L * 64 * 64;
        TaskOp wide = new TaskOp("wide", TaskOp.Kind.CONV, Dtype.INT8, new TaskOp.Shape(256, 64, 64, 32, 64, 64, 1, 1, 1, 1, 1),
                TaskOp.Cbuf.NONE, TaskOp.Post.NONE, List.of(new TaskOp.Dma(TaskOp.Operand.FEATURE, 0, in),
                        new TaskOp.Dma(TaskOp.Operand.OUTPUT, 1 << 24, out)), 0);
        TaskTiming.Cost at1000 = TaskTiming.cost(wide, p, 1_000_000), at200 = TaskTiming.cost(wide, p, 200_000);
        assertThat(at1000.cycles()).isEqualTo((long) Math.ceil((in + out) / p.convIoGbps()));
        assertThat(at1000.cycles()).isGreaterThan(at1000.macCycles());
        // the same bytes take the same time at 200 MHz, a fifth of the cycles (per-layer-dumps 9.3:
        // data movement follows the DDR clock, not the NPU clock), so the MACs bound it there and
        // the layer takes less than five times as long
        assertThat(at200.macCycles()).isEqualTo(at1000.macCycles());
        assertThat(at200.cycles()).isEqualTo(at200.macCycles());
        double ns200 = at200.cycles() / 0.2, ns1000 = at1000.cycles() / 1.0;
        assertThat(ns200).isLessThan(5 * ns1000);
        // a 1x1 kernel reaches pointwise_factor of the dense efficiency (per-layer-dumps 9.5)
        TaskOp pw = op(TaskOp.Kind.CONV, new TaskOp.Shape(256, 14, 14, 256, 14, 14, 1, 1, 1, 1, 1));
        TaskOp k3 = op(TaskOp.Kind.CONV, new TaskOp.Shape(256, 14, 14, 256, 14, 14, 3, 3, 1, 1, 1));
        double perPaddedMac1 = TaskTiming.cost(pw, p, 1_000_000).macCycles() / (double) TaskTiming.cost(pw, p, 1_000_000).paddedMacs();
        double perPaddedMac3 = TaskTiming.cost(k3, p, 1_000_000).macCycles() / (double) TaskTiming.cost(k3, p, 1_000_000).paddedMacs();
        assertThat(perPaddedMac3 / perPaddedMac1).isCloseTo(p.pointwiseFactor(), within(1e-3));
    }

    private static TaskOp op(TaskOp.Kind k, TaskOp.Shape s) {
        return new TaskOp("t", k, Dtype.INT8, s, TaskOp.Cbuf.NONE, TaskOp.Post.NONE, List.of(), 0);
    }

    @Test
    void halvingTheClockDoublesComputeBoundAndBarelyMovesDdrBound() {
        HwRig fast = new HwRig();
        HwRig slow = new HwRig("clock.npu.mhz=500");
        TaskRecord cf = fast.runAlone(0, fast.conv(128, 40, 40, 128, 3, Dtype.INT8));
        TaskRecord cs = slow.runAlone(0, slow.conv(128, 40, 40, 128, 3, Dtype.INT8));
        double computeRatio = cs.durationPs() / (double) cf.durationPs();
        assertThat(computeRatio).isBetween(1.85, 2.05);
        // an M = 1 matmul streams 8 MiB of weights for a few thousand cycles of MACs (LLM decode)
        TaskRecord df = fast.runAlone(0, fast.matmulM1(2048, 4096));
        TaskRecord ds = slow.runAlone(0, slow.matmulM1(2048, 4096));
        double ddrRatio = ds.durationPs() / (double) df.durationPs();
        assertThat(ddrRatio).isBetween(0.98, 1.15);
    }

    @Test
    void chainedTasksRaiseOneInterruptAndPingPongHidesTheFetch() {
        HwRig rig = new HwRig();
        List<TaskOp> ops = new ArrayList<>();
        for (int i = 0; i < 5; i++) ops.add(rig.conv(64, 20, 20, 64, 3, Dtype.INT8));
        long rc = rig.program(ops, 128);
        rig.start(0, rc, 128, 5, true);
        rig.sim.run();
        assertThat(rig.records).hasSize(5);
        assertThat(rig.irqs).hasSize(1);
        assertThat(rig.hw.core(0).readReg(NpuRegs.PC_TASK_STATUS)).isEqualTo(5);
        int status = rig.hw.core(0).readReg(NpuRegs.PC_INTERRUPT_STATUS);
        assertThat(IrqBits.pairFuzz(status)).isEqualTo(IrqBits.DPU_BOTH);
        // with ping-pong only the first task pays the regcmd fetch
        assertThat(rig.records.get(1).overheadPs()).isLessThan(rig.records.get(0).overheadPs());

        HwRig one = new HwRig();
        List<TaskOp> ops1 = new ArrayList<>();
        for (int i = 0; i < 5; i++) ops1.add(one.conv(64, 20, 20, 64, 3, Dtype.INT8));
        long rc1 = one.program(ops1, 128);
        one.start(0, rc1, 128, 1, false); // upstream style: one task per start
        one.sim.run();
        assertThat(one.records).hasSize(1);
        assertThat(one.irqs).hasSize(1);
    }

    @Test
    void anUnmappedAddressFaultsWithADmaErrorAndResetMakesTheCoreUsableAgain() {
        HwRig rig = new HwRig();
        TaskOp good = rig.conv(32, 10, 10, 32, 1, Dtype.INT8);
        TaskOp bad = new TaskOp("bad", TaskOp.Kind.CONV, Dtype.INT8, good.shape(), good.cbuf(), good.post(),
                List.of(new TaskOp.Dma(TaskOp.Operand.FEATURE, 0x7fff_0000L, 4096), good.dma().get(2)), good.macs());
        long rc = rig.program(List.of(bad), 128);
        rig.start(1, rc, 128, 1, false);
        rig.sim.run();
        NpuCore c = rig.hw.core(1);
        assertThat(c.state()).isEqualTo(NpuCore.State.FAULTED);
        assertThat(c.readReg(NpuRegs.PC_INTERRUPT_RAW_STATUS) & IrqBits.DMA_READ_ERROR).isNotZero();
        assertThat(rig.irqs).hasSize(1);
        var f = c.iommu().lastFault();
        assertThat(f.iova()).isEqualTo(0x7fff_0000L);
        assertThat(f.core()).isEqualTo(1);
        // OP_EN is ignored until reset
        long rc2 = rig.program(List.of(good), 128);
        rig.start(1, rc2, 128, 1, false);
        rig.sim.run();
        assertThat(rig.records).isEmpty();
        c.reset();
        assertThat(c.state()).isEqualTo(NpuCore.State.IDLE);
        rig.start(1, rc2, 128, 1, false);
        rig.sim.run();
        assertThat(rig.records).hasSize(1);
    }

    @Test
    void undecodableCommandsHangTheCoreUntilResetAndTheLossIsReported() {
        HwRig rig = new HwRig();
        long garbage = rig.buffer(4096);
        rig.start(2, garbage, 128, 3, false);
        rig.sim.run();
        assertThat(rig.hw.core(2).state()).isEqualTo(NpuCore.State.HUNG);
        assertThat(rig.irqs).isEmpty();
        rig.hw.core(2).reset();
        assertThat(rig.lost).containsExactly("2:3");
        assertThat(rig.hw.core(2).lostTasks()).isEqualTo(3);
    }

    @Test
    void aClockChangeRetimesATaskInFlight() {
        HwRig rig = new HwRig();
        TaskOp op = rig.conv(128, 40, 40, 128, 3, Dtype.INT8);
        HwRig ref = new HwRig();
        long alone = ref.runAlone(0, ref.conv(128, 40, 40, 128, 3, Dtype.INT8)).durationPs();
        long rc = rig.program(List.of(op), 128);
        rig.start(0, rc, 128, 1, false);
        rig.sim.runUntil(alone / 2);
        rig.hw.clock().setMhz(500, rig.sim.now());
        rig.sim.run();
        long d = rig.records.get(0).durationPs();
        // first half at 1 GHz, the rest at 500 MHz: about 1.5 times as long
        assertThat(d / (double) alone).isBetween(1.4, 1.6);
        assertThat(Time.toMs(d)).isPositive();
    }

    @Test
    void energyDependsOnVoltageAndBytes() {
        HwRig hi = new HwRig();
        HwRig lo = new HwRig("clock.npu.mhz=600");
        TaskRecord a = hi.runAlone(0, hi.conv(64, 40, 40, 64, 3, Dtype.INT8));
        TaskRecord b = lo.runAlone(0, lo.conv(64, 40, 40, 64, 3, Dtype.INT8));
        // same MACs and bytes; 700 mV instead of 850 mV lowers the MAC energy by (700/850)^2
        assertThat(b.energyPj()).isLessThan(a.energyPj());
        assertThat(Rk3588.IommuTopology.values()).hasSize(2);
    }
}
