package io.npusim.workloads.runtime.proposed;

import io.npusim.core.account.Part;
import io.npusim.core.time.Time;
import io.npusim.hw.config.ParamTable;
import io.npusim.uapi.os.CpuWork;
import io.npusim.uapi.os.Syscalls;
import io.npusim.uapi.os.UserThread;
import io.npusim.workloads.compile.BufferPlan;
import io.npusim.workloads.compile.JobPlan;
import io.npusim.workloads.compile.Program;
import io.npusim.workloads.compile.Step;
import io.npusim.workloads.compile.TaskPlan;
import io.npusim.workloads.cpu.CpuCostModel;
import io.npusim.workloads.runtime.Async;
import io.npusim.workloads.runtime.ParallelCpu;
import io.npusim.workloads.runtime.RuntimeFailure;
import io.npusim.workloads.runtime.VisionRuntime;
import java.util.ArrayList;
import java.util.List;

/**
 * A vision (or audio) model on the proposed subsystem: the RKNN lowering compiled twice, for one
 * core and for three, and each run of NPU work between CPU operators submitted as one explicit
 * job carrying both variants (the one-core variant as a single part; the three-core one as the
 * compiler's layer groups, separated by barriers). The driver picks the variant per job. Buffers
 * are resident for the context's life; the internal buffer asks for SRAM when the board has some.
 */
public final class ProposedVisionRuntime implements VisionRuntime {
    private final String name;
    private final UserThread thread;
    private final Program one;
    private final Program three;
    private final int cls;
    private final long deadlineNs;
    private final ProposedSession session;
    private final CpuCostModel cpu;
    private final long runOverheadPs;
    private final long submitPrepPs;
    private final double inputNsPerByte;
    private final double outputNsPerByte;
    private final List<ProposedJobPlan> jobs = new ArrayList<>();
    private final List<ProposedSession.Prepared> prepared = new ArrayList<>();
    private final int regcmdId;

    public ProposedVisionRuntime(String name, Syscalls sys, UserThread thread, Program one, Program three, int cls, long deadlineNs, ParamTable t) {
        this.name = name;
        this.thread = thread;
        this.one = one;
        this.three = three;
        this.cls = cls;
        this.deadlineNs = deadlineNs;
        this.session = new ProposedSession(name, sys, thread);
        this.cpu = new CpuCostModel(t);
        this.runOverheadPs = Time.fromUs(t.nonNegative("rknn.run_overhead_us", "us"));
        this.submitPrepPs = Time.fromUs(t.nonNegative("rknn.submit_prep_us", "us"));
        this.inputNsPerByte = t.nonNegative("rknn.input_convert_ns_per_byte", "ns/byte");
        this.outputNsPerByte = t.nonNegative("rknn.output_convert_ns_per_byte", "ns/byte");
        this.regcmdId = one.buffers().size();
        buildJobs();
    }

    /** One job per run of NPU steps between CPU steps, with a one-core and a three-core variant. */
    private void buildJobs() {
        List<List<Step.Npu>> blocks1 = blocks(one), blocks3 = blocks(three);
        if (blocks1.size() != blocks3.size()) throw new IllegalStateException("the one- and three-core programs disagree on CPU fallbacks");
        for (int b = 0; b < blocks1.size(); b++) {
            List<TaskPlan> all = new ArrayList<>();
            for (Step.Npu n : blocks1.get(b)) for (JobPlan j : n.jobs()) for (List<TaskPlan> l : j.perCore()) all.addAll(l);
            List<ProposedJobPlan.Variant> vs = new ArrayList<>();
            vs.add(new ProposedJobPlan.Variant(1, List.of(List.of(all))));
            List<List<List<TaskPlan>>> segs = new ArrayList<>();
            boolean wide = false;
            for (Step.Npu n : blocks3.get(b)) {
                for (JobPlan j : n.jobs()) {
                    List<List<TaskPlan>> parts = new ArrayList<>();
                    for (List<TaskPlan> l : j.perCore()) if (!l.isEmpty()) parts.add(l);
                    wide |= parts.size() > 1;
                    segs.add(parts);
                }
            }
            if (wide) vs.add(new ProposedJobPlan.Variant(3, segs));
            jobs.add(new ProposedJobPlan("block " + b, vs));
        }
    }

    private static List<List<Step.Npu>> blocks(Program p) {
        List<List<Step.Npu>> out = new ArrayList<>();
        List<Step.Npu> cur = null;
        for (Step s : p.steps()) {
            if (s instanceof Step.Npu n) {
                if (cur == null) out.add(cur = new ArrayList<>());
                cur.add(n);
            } else if (s instanceof Step.Cpu) {
                cur = null;
            }
        }
        return out;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Program program() {
        return one;
    }

    @Override
    public RuntimeFailure failure() {
        return session.failure();
    }

    @Override
    public long allocatedBytes() {
        return session.allocated();
    }

    @Override
    public void load(Runnable done) {
        session.open(cls, deadlineNs, () -> {
            if (failure() != null) {
                done.run();
                return;
            }
            List<BufferPlan> bufs = new ArrayList<>();
            long regcmdBytes = 0;
            for (BufferPlan b : one.buffers()) {
                if (b.kind() == BufferPlan.Kind.REGCMD || b.kind() == BufferPlan.Kind.TASKS) continue;
                bufs.add(b);
            }
            for (ProposedJobPlan j : jobs) for (ProposedJobPlan.Variant v : j.variants()) regcmdBytes += (long) v.taskCount() * 1024;
            bufs.add(new BufferPlan(regcmdId, "regcmd", BufferPlan.Kind.REGCMD, Math.max(4096, regcmdBytes), false));
            session.createResident(bufs, id -> id, b -> b.kind() == BufferPlan.Kind.WEIGHT || b.kind() == BufferPlan.Kind.REGCMD, () -> {
                if (failure() != null) {
                    done.run();
                    return;
                }
                long[] addr = session.iovas(regcmdId);
                for (ProposedJobPlan j : jobs) prepared.add(session.prepare(j, regcmdId, addr));
                BufferPlan internal = null;
                for (BufferPlan b : bufs) if (b.kind() == BufferPlan.Kind.INTERNAL && b.sram()) internal = b;
                Runnable upload = () -> thread.compute(ParallelCpu.work(cpu.copy("upload weights", one.bufferBytes(BufferPlan.Kind.WEIGHT))), done);
                if (internal == null) upload.run();
                else session.requestSram(internal.id(), internal.bytes(), 0, upload);
            });
        });
    }

    @Override
    public void setInputs(Runnable done) {
        long bytes = 0;
        for (BufferPlan b : one.buffers()) if (b.kind() == BufferPlan.Kind.INPUT) bytes += b.bytes();
        thread.compute(ParallelCpu.work(cpu.runtimeWork("inputs_set", bytes, inputNsPerByte, 0)), done);
    }

    @Override
    public void run(Runnable done) {
        if (failure() != null) {
            done.run();
            return;
        }
        List<Async.Action> actions = new ArrayList<>();
        actions.add(k -> thread.compute(new CpuWork("run", runOverheadPs, 0, Part.RUNTIME_CPU), k));
        int[] next = {0};
        boolean inBlock = false;
        for (Step s : one.steps()) {
            if (s instanceof Step.Cpu c) {
                inBlock = false;
                actions.add(k -> thread.compute(ParallelCpu.work(c), k));
            } else if (s instanceof Step.Npu && !inBlock) {
                inBlock = true;
                actions.add(k -> session.submitAndWait(prepared.get(next[0]++), List.of(), submitPrepPs, k));
            }
        }
        Async.sequence(actions, done);
    }

    @Override
    public void getOutputs(Runnable done) {
        List<Async.Action> actions = new ArrayList<>();
        for (BufferPlan b : one.buffers()) {
            if (b.kind() != BufferPlan.Kind.OUTPUT) continue;
            actions.add(next -> thread.compute(ParallelCpu.work(cpu.runtimeWork("outputs_get", b.bytes(), outputNsPerByte, 0)), next));
        }
        Async.sequence(actions, done);
    }
}
