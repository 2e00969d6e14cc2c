package io.npusim.workloads.runtime.rknn;

import io.npusim.core.account.Part;
import io.npusim.core.time.Time;
import io.npusim.hw.config.ParamTable;
import io.npusim.uapi.rknpu.SyncFlags;
import io.npusim.uapi.os.CpuWork;
import io.npusim.uapi.os.Syscalls;
import io.npusim.uapi.os.UserThread;
import io.npusim.workloads.compile.BufferPlan;
import io.npusim.workloads.compile.JobPlan;
import io.npusim.workloads.compile.Program;
import io.npusim.workloads.compile.Step;
import io.npusim.workloads.cpu.CpuCostModel;
import io.npusim.workloads.runtime.Async;
import io.npusim.workloads.runtime.ParallelCpu;
import io.npusim.workloads.runtime.RuntimeFailure;
import io.npusim.workloads.runtime.VisionRuntime;
import java.util.ArrayList;
import java.util.List;

/**
 * An RKNN-style runtime (librknnrt) on the vendor driver, through the rknpu UAPI only. Load: one
 * MEM_CREATE per buffer (SRAM asked for when the model was compiled for it), mmap of the buffers
 * the CPU writes, the register-command streams chained task to task, and the rknpu_task array.
 * Run: one blocking submit per NPU job (PC + ping-pong, flags 0x5 as librknnrt's own error lines
 * print them; a 6000 ms timeout unless configured), with the per-core task ranges in subcore_task,
 * CPU fallback operators between them. The what-if {@code rknn.nonblock_chains} submits a job
 * NONBLOCK when the next job's core mask covers its own: rknpu queues jobs FIFO per core and
 * commits a multi-core job only once every core of its mask has dequeued it (gang start,
 * rknpu-vendor-and-hw.md 2.4), so the next job cannot start before this one ended on all its
 * cores; the last job before a CPU step or the end of the run still blocks.
 */
public final class RknnRuntime implements VisionRuntime {
    private final String name;
    private final UserThread thread;
    private final Program program;
    private final int coreMask;
    private final long runOverheadPs;
    private final long submitPrepPs;
    private final double inputNsPerByte;
    private final double outputNsPerByte;
    private final CpuCostModel cpu;
    private final RknpuSession session;
    private final boolean nonblockChains;
    private List<RknpuSession.Prepared> submits = List.of();
    /** Per NPU job in program order: its core mask and whether it is submitted NONBLOCK. */
    private int[] masks = new int[0];
    private boolean[] nonblock = new boolean[0];
    private RuntimeFailure failure;

    public RknnRuntime(String name, Syscalls sys, UserThread thread, Program program, int coreMask, ParamTable t) {
        this.name = name;
        this.thread = thread;
        this.program = program;
        this.coreMask = coreMask;
        this.runOverheadPs = Time.fromUs(t.nonNegative("rknn.run_overhead_us", "us"));
        this.submitPrepPs = Time.fromUs(t.nonNegative("rknn.submit_prep_us", "us"));
        this.inputNsPerByte = t.nonNegative("rknn.input_convert_ns_per_byte", "ns/byte");
        this.outputNsPerByte = t.nonNegative("rknn.output_convert_ns_per_byte", "ns/byte");
        this.cpu = new CpuCostModel(t);
        this.session = new RknpuSession(name, sys, thread, (int) t.integer("rknn.timeout_ms", "ms"));
        this.nonblockChains = t.flag("rknn.nonblock_chains");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Program program() {
        return program;
    }

    @Override
    public RuntimeFailure failure() {
        return failure != null ? failure : session.failure();
    }

    @Override
    public long allocatedBytes() {
        return session.allocated();
    }

    private int find(BufferPlan.Kind k) {
        for (BufferPlan b : program.buffers()) if (b.kind() == k) return b.id();
        throw new IllegalStateException("program without a " + k + " buffer");
    }

    @Override
    public void load(Runnable done) {
        session.open(() -> {
            if (session.failure() != null) {
                done.run();
                return;
            }
            session.createAll(program.buffers(), b -> 0, () -> {
                if (session.failure() != null) {
                    done.run();
                    return;
                }
                List<JobPlan> jobs = new ArrayList<>();
                for (Step s : program.steps()) if (s instanceof Step.Npu n) jobs.addAll(n.jobs());
                submits = session.writeJobs(jobs, session.iovas(program.buffers().size()), find(BufferPlan.Kind.TASKS),
                        find(BufferPlan.Kind.REGCMD), 0);
                planSubmits();
                // uploading the weights is a CPU copy into the mapped buffer
                thread.compute(ParallelCpu.work(cpu.copy("upload weights", program.bufferBytes(BufferPlan.Kind.WEIGHT))), done);
            });
        });
    }

    @Override
    public void setInputs(Runnable done) {
        int in = find(BufferPlan.Kind.INPUT);
        long bytes = program.buffers().get(in).bytes();
        thread.compute(ParallelCpu.work(cpu.runtimeWork("rknn_inputs_set", bytes, inputNsPerByte, 0)),
                () -> session.sync(in, SyncFlags.TO_DEVICE, done));
    }

    @Override
    public void run(Runnable done) {
        if (failure() != null) {
            done.run();
            return;
        }
        List<Async.Action> actions = new ArrayList<>();
        actions.add(k -> thread.compute(new CpuWork("rknn_run", runOverheadPs, 0, Part.RUNTIME_CPU), k));
        int j = 0;
        for (Step s : program.steps()) {
            if (s instanceof Step.Cpu c) {
                actions.add(k -> thread.compute(ParallelCpu.work(c), k));
            } else if (s instanceof Step.Npu npu) {
                for (int n = 0; n < npu.jobs().size(); n++, j++) {
                    int job = j;
                    actions.add(k -> thread.compute(new CpuWork("rknn submit", submitPrepPs, 0, Part.RUNTIME_CPU),
                            () -> session.submit(thread, submits.get(job), masks[job], nonblock[job], k)));
                }
            }
        }
        Async.sequence(actions, done);
    }

    /**
     * The mask and blocking mode of every job, fixed once the program is loaded. Single-core jobs
     * of a multi-core model go to core 0; AUTO (0) leaves the choice to the driver. A job may skip
     * the wait only when the next step is a job whose mask covers its own (no CPU step between).
     */
    private void planSubmits() {
        List<Integer> order = new ArrayList<>(); // in program order: a job's mask, or -1 for a CPU step
        for (Step s : program.steps()) {
            if (s instanceof Step.Cpu) order.add(-1);
            else if (s instanceof Step.Npu npu) {
                for (JobPlan job : npu.jobs()) order.add(job.cores() == 1 && Integer.bitCount(coreMask & 7) > 1 ? 0x1 : coreMask);
            }
        }
        masks = new int[submits.size()];
        nonblock = new boolean[submits.size()];
        int j = 0;
        for (int i = 0; i < order.size(); i++) {
            int mask = order.get(i);
            if (mask < 0) continue;
            int following = i + 1 < order.size() ? order.get(i + 1) : -1;
            masks[j] = mask;
            nonblock[j] = nonblockChains && mask != 0 && following > 0 && (mask & ~following) == 0;
            j++;
        }
    }

    @Override
    public void getOutputs(Runnable done) {
        List<Async.Action> actions = new ArrayList<>();
        for (BufferPlan b : program.buffers()) {
            if (b.kind() != BufferPlan.Kind.OUTPUT) continue;
            actions.add(next -> session.sync(b.id(), SyncFlags.FROM_DEVICE, () ->
                    thread.compute(ParallelCpu.work(cpu.runtimeWork("rknn_outputs_get", b.bytes(), outputNsPerByte, 0)), next)));
        }
        Async.sequence(actions, done);
    }
}
