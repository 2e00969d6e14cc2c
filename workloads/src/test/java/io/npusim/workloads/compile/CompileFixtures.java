package io.npusim.workloads.compile;

import static org.assertj.core.api.Assertions.assertThat;

import io.npusim.core.account.Part;
import io.npusim.hw.config.ParamTable;
import io.npusim.hw.npu.NpuParams;
import io.npusim.hw.npu.TaskOp;
import java.util.ArrayList;
import java.util.List;

/**
 * Shared configuration and helpers for the compiler tests. The hand calculations in the tests use
 * the constants checked in {@link #checkHandCalculationConstants()}: if one of them is retuned the
 * test names the constant instead of failing on a task count.
 *
 * <p>The workloads module sees only the hardware and runtime files (kernel.yaml belongs to
 * kernel-model, which workloads does not depend on, and no compiler reads it).
 */
final class CompileFixtures {
    static final ParamTable PARAMS = ParamTable.loadResources("npusim/hw-rk3588.yaml", "npusim/runtime.yaml");
    static final NpuParams NPU = NpuParams.from(PARAMS);

    private CompileFixtures() {}

    /** The constants every hand calculation below relies on. */
    static void checkHandCalculationConstants() {
        assertThat(NPU.cbufBanks()).as("npu.cbuf.banks").isEqualTo(12);
        assertThat(NPU.cbufBankBytes()).as("npu.cbuf.bank_bytes").isEqualTo(32768);
        assertThat(PARAMS.integer("rknn.tile_data_banks", "banks")).as("rknn.tile_data_banks").isEqualTo(3);
        assertThat(PARAMS.integer("rknn.regcmd_entries", "entries")).as("rknn.regcmd_entries").isEqualTo(128);
        assertThat(PARAMS.integer("rkllm.k_segment", "elements")).as("rkllm.k_segment").isEqualTo(8192);
        assertThat(PARAMS.integer("rocket_llm.k_segment", "elements")).as("rocket_llm.k_segment").isEqualTo(8192);
        assertThat(PARAMS.integer("rkllm.group_size", "elements")).as("rkllm.group_size").isEqualTo(128);
    }

    static RknnCompiler rknn() {
        return new RknnCompiler(NPU, PARAMS);
    }

    static TeflonCompiler teflon() {
        return new TeflonCompiler(NPU, PARAMS);
    }

    static RknnCompiler.Options oneCore() {
        return new RknnCompiler.Options(0, false);
    }

    static RknnCompiler.Options threeCores() {
        return new RknnCompiler.Options(0x7, false);
    }

    /** Every task of a program, in step, job and core order. */
    static List<TaskPlan> tasks(Program p) {
        List<TaskPlan> all = new ArrayList<>();
        for (Step s : p.steps()) {
            if (s instanceof Step.Npu n) for (JobPlan j : n.jobs()) for (List<TaskPlan> core : j.perCore()) all.addAll(core);
        }
        return all;
    }

    static List<Step.Npu> npuSteps(Program p) {
        return p.steps().stream().filter(s -> s instanceof Step.Npu).map(s -> (Step.Npu) s).toList();
    }

    /** Operator types of the CPU fallback steps, in order (runtime work such as conversions excluded). */
    static List<String> fallbackOps(Program p) {
        return p.cpuSteps().stream().filter(s -> s.part() == Part.CPU_FALLBACK).map(Step.Cpu::opType).toList();
    }

    static List<TaskPlan.Dma> dma(TaskPlan t, TaskOp.Operand operand) {
        return t.dma().stream().filter(d -> d.operand() == operand).toList();
    }

    static List<BufferPlan> buffers(Program p, BufferPlan.Kind kind) {
        return p.buffers().stream().filter(b -> b.kind() == kind).toList();
    }
}
