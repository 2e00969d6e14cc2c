package io.npusim.kernel.rocket;

import io.npusim.core.event.Simulator;
import io.npusim.core.time.Time;
import io.npusim.core.trace.TraceSink;
import io.npusim.hw.Rk3588;
import io.npusim.hw.config.ParamTable;
import io.npusim.hw.npu.Dtype;
import io.npusim.hw.npu.NpuObserver;
import io.npusim.hw.npu.NpuRegs;
import io.npusim.hw.npu.RegcmdStream;
import io.npusim.hw.npu.TaskOp;
import io.npusim.hw.npu.TaskRecord;
import io.npusim.hw.npu.TaskTiming;
import io.npusim.kernel.cost.KernelCosts;
import io.npusim.kernel.drm.GemMapping;
import io.npusim.kernel.drm.GemObject;
import io.npusim.kernel.os.Kernel;
import io.npusim.kernel.os.SimProcess;
import io.npusim.kernel.os.SimThread;
import io.npusim.kernel.sched.SchedJob;
import io.npusim.uapi.Ioctl;
import io.npusim.uapi.codec.UserArray;
import io.npusim.uapi.os.Syscalls;
import io.npusim.uapi.rocket.CreateBo;
import io.npusim.uapi.rocket.FiniBo;
import io.npusim.uapi.rocket.PrepBo;
import io.npusim.uapi.rocket.RocketTask;
import io.npusim.uapi.rocket.Submit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A board running the upstream rocket driver and small userspace clients driving its UAPI the way
 * Mesa's rocket driver does (RocketSession in workloads): open /dev/accel/accel0, CREATE_BO and
 * mmap, register-command streams written into a regcmd BO at each task's NPU address (64-byte
 * aligned, chained inside a job through the tail entries), SUBMIT, PREP_BO / FINI_BO.
 *
 * <p>The board is configured as a rocket run is (system's Configs): the NPU clock is
 * {@code rocket.npu_mhz}, the mainline device tree's 200 MHz. Calls come in two styles: blocking
 * ones ({@link Client#ioctl}) run the simulation until the call returns (everything else keeps
 * running meanwhile, as on a real machine with a blocked thread), and asynchronous ones
 * ({@link Client#ioctlAsync}) for several processes at once.
 *
 * <p>Tasks are 1x1 convolutions with 1024 input and output channels, MAC-bound, so their pipeline
 * time grows linearly with their width, which sets a task's duration; their DMA ranges are small
 * and lie in the client's BOs.
 */
final class RocketRig {
    static final long US = Time.PS_PER_US;
    static final long MS = Time.PS_PER_MS;
    /** An absolute deadline that never comes (Mesa passes INT64_MAX). */
    static final long FOREVER = Long.MAX_VALUE;
    static final int ENTRIES = 64; // regcmd entries per task (60 register writes + 4 tail entries)
    static final long PAGE = 4096;

    final Simulator sim = new Simulator();
    final ParamTable params;
    final Rk3588 hw;
    final KernelCosts cost;
    final Kernel k;
    final RocketParams p;
    final RocketDevice dev;
    /** Every task that completed, in completion order. */
    final List<TaskRecord> records = new ArrayList<>();
    /** The kernel job each completed task belonged to, by task label. */
    final Map<String, RocketJob> jobOfTask = new LinkedHashMap<>();
    /** Cores that hung on undecodable commands: {core, time}. */
    final List<long[]> hangs = new ArrayList<>();
    /** Jobs on the hardware when a core hung. */
    final List<RocketJob> hungJobs = new ArrayList<>();
    /** Tasks lost to resets, as "core:tasks". */
    final List<String> lost = new ArrayList<>();

    RocketRig(String... sets) {
        ParamTable t = ParamTable.loadResources("npusim/hw-rk3588.yaml", "npusim/kernel.yaml");
        // What system's Configs does for the rocket policy: the mainline DT's NPU clock.
        t = t.with("clock.npu.mhz", Long.toString(t.integer("rocket.npu_mhz", "MHz")));
        this.params = t.withAll(List.of(sets));
        this.hw = new Rk3588(sim, params, Rk3588.IommuTopology.PER_CORE, TraceSink.NONE);
        this.cost = KernelCosts.from(params);
        this.k = new Kernel(sim, hw, cost, TraceSink.NONE);
        this.p = RocketParams.from(params);
        this.dev = new RocketDevice(k, p);
        k.register(dev);
        NpuObserver obs = new NpuObserver() {
            @Override
            public void taskDone(TaskRecord r) {
                records.add(r);
                RocketJob j = onHardware(r.core(), r.job());
                if (j != null) jobOfTask.put(r.label(), j);
            }

            @Override
            public void workLost(int core, int tasks, String reason, long nowPs) {
                lost.add(core + ":" + tasks);
            }

            @Override
            public void hung(int core, long address, long nowPs) {
                hangs.add(new long[] {core, nowPs});
                List<SchedJob> pending = dev.schedulers().get(core).pendingList();
                hungJobs.add((RocketJob) pending.get(pending.size() - 1));
            }
        };
        for (int i = 0; i < hw.coreCount(); i++) hw.core(i).setObserver(obs);
    }

    private RocketJob onHardware(int core, long jobId) {
        for (SchedJob j : dev.schedulers().get(core).pendingList()) {
            if (j.id() == jobId) return (RocketJob) j;
        }
        return null;
    }

    /** A new process (on the big cores) with one thread and the accel device opened. */
    Client client(String name) {
        Client c = new Client(name);
        int fd = c.open();
        if (fd < 0) throw new IllegalStateException("open " + RocketDevice.PATH + ": " + fd);
        return c;
    }

    /**
     * Task width for a pipeline time of about {@code us} microseconds at the current NPU clock,
     * calibrated on the hardware model's own timing (TaskTiming) so that changes to its constants
     * do not change the durations the tests ask for.
     */
    long widthForUs(double us) {
        double cycles = us * hw.clock().mhz();
        int probe = 1024;
        double perWidth = TaskTiming.cost(convOp("probe", probe, 0, 0, 0), hw.npuParams()).cycles() / (double) probe;
        return Math.max(4, Math.round(cycles / perWidth));
    }

    /** A 1x1 INT8 conv, 1024 channels in and out, {@code w} pixels wide, with small DMA ranges. */
    static TaskOp convOp(String label, int w, long inIova, long weightIova, long outIova) {
        long bytes = 1024;
        return new TaskOp(label, TaskOp.Kind.CONV, Dtype.INT8, new TaskOp.Shape(1024, 1, w, 1024, 1, w, 1, 1, 1, 1, 1),
                new TaskOp.Cbuf(6, 6, false), TaskOp.Post.NONE,
                List.of(new TaskOp.Dma(TaskOp.Operand.FEATURE, inIova, bytes),
                        new TaskOp.Dma(TaskOp.Operand.WEIGHT, weightIova, bytes),
                        new TaskOp.Dma(TaskOp.Operand.OUTPUT, outIova, bytes)), (long) w * 1024 * 1024);
    }

    long nowPs() {
        return sim.now();
    }

    /** Runs the simulation until {@code timePs} (events at that time included). */
    void runUntil(long timePs) {
        sim.runUntil(timePs);
    }

    /** Runs until nothing is left to do. */
    void runAll() {
        sim.run();
    }

    /** Runs until {@code done} has a value; fails if the simulation runs dry first. */
    <T> T await(Consumer<Consumer<T>> op) {
        Object[] box = {null};
        boolean[] set = {false};
        op.accept(v -> {
            box[0] = v;
            set[0] = true;
            sim.stop();
        });
        while (!set[0]) {
            if (sim.pending() == 0) throw new AssertionError("the call never returned (simulation ran dry at " + Time.format(sim.now()) + ")");
            sim.run();
        }
        @SuppressWarnings("unchecked")
        T t = (T) box[0];
        return t;
    }

    /** The task records of a job, in order (task labels are "job/t0", "job/t1", ...). */
    List<TaskRecord> tasksOf(String jobName) {
        List<TaskRecord> l = new ArrayList<>();
        for (TaskRecord r : records) if (r.label().startsWith(jobName + "/")) l.add(r);
        return l;
    }

    TaskRecord first(String jobName) {
        return tasksOf(jobName).get(0);
    }

    TaskRecord last(String jobName) {
        List<TaskRecord> l = tasksOf(jobName);
        return l.get(l.size() - 1);
    }

    RocketJob job(String jobName) {
        return jobOfTask.get(first(jobName).label());
    }

    // ---- clients ------------------------------------------------------------------------------

    /** A buffer object of one client: what CREATE_BO returned, and its CPU mapping. */
    record Bo(CreateBo created, GemMapping map) {
        int handle() {
            return created.handle();
        }

        long iova() {
            return created.dmaAddress();
        }

        GemObject gem() {
            return map.object();
        }
    }

    /** The result of an ioctl: return value and out-struct. */
    record Ret(int ret, Ioctl out, long atPs) {}

    /** One userspace process with one thread and one open accel file. */
    final class Client {
        final String name;
        final SimProcess proc;
        final SimThread thread;
        int fd = -1;
        private Bo regcmd;
        private long regcmdCursor;
        private Bo weights;
        private long nextUserPtr = 0x7f00_0000L;

        Client(String name) {
            this.name = name;
            this.proc = k.spawn(name, hw.cpus().bigCpus());
            this.thread = proc.newThread("main");
        }

        int open() {
            fd = await(done -> k.open(thread, RocketDevice.PATH, done::accept));
            return fd;
        }

        /** A blocking ioctl: runs the simulation until it returns. */
        Ret ioctl(Ioctl arg) {
            return await(done -> k.ioctl(thread, fd, arg, (r, out) -> done.accept(new Ret(r, out, sim.now()))));
        }

        int call(Ioctl arg) {
            return ioctl(arg).ret();
        }

        void ioctlAsync(Ioctl arg, Syscalls.IoctlResult done) {
            k.ioctl(thread, fd, arg, done);
        }

        int mmap(long offset, long length, GemMapping[] out) {
            return await(done -> k.mmap(thread, fd, offset, length, (r, m) -> {
                out[0] = (GemMapping) m;
                done.accept(r);
            }));
        }

        /** CREATE_BO then mmap of the whole BO. */
        Bo bo(long bytes) {
            Ret r = ioctl(CreateBo.of(bytes));
            if (r.ret() != 0) throw new IllegalStateException("CREATE_BO " + bytes + ": " + r.ret());
            CreateBo c = (CreateBo) r.out();
            GemMapping[] m = new GemMapping[1];
            int mr = mmap(c.offset(), c.sizeBytes(), m);
            if (mr != 0) throw new IllegalStateException("mmap: " + mr);
            return new Bo(c, m[0]);
        }

        Bo buf() {
            return bo(PAGE);
        }

        private Bo regcmd() {
            if (regcmd == null) regcmd = bo(256 * 1024);
            return regcmd;
        }

        private Bo weights() {
            if (weights == null) weights = bo(PAGE);
            return weights;
        }

        /** A 1x1 INT8 conv task of about {@code us} microseconds reading {@code in}, writing {@code out}. */
        TaskOp conv(String label, double us, Bo in, Bo out) {
            return convOp(label, (int) widthForUs(us), in.iova(), weights().iova(), out.iova());
        }

        /**
         * Writes a job's tasks into the regcmd BO (chained inside the job, as Mesa does) and returns
         * its drm_rocket_job. {@code taskUs} gives each task's duration; a negative value writes
         * undecodable commands at that task's address (the core hangs on it).
         */
        io.npusim.uapi.rocket.RocketJob job(String jobName, List<Bo> in, List<Bo> out, double... taskUs) {
            Bo rc = regcmd();
            Bo src = in.isEmpty() ? weights() : in.get(0);
            Bo dst = out.isEmpty() ? weights() : out.get(0);
            long[] addr = new long[taskUs.length];
            for (int i = 0; i < taskUs.length; i++) {
                addr[i] = rc.iova() + regcmdCursor;
                regcmdCursor += ((long) ENTRIES * RegcmdStream.ENTRY_BYTES + 63) / 64 * 64;
            }
            List<RocketTask> tasks = new ArrayList<>();
            for (int i = 0; i < taskUs.length; i++) {
                boolean last = i == taskUs.length - 1;
                long off = addr[i] - rc.iova();
                if (taskUs[i] < 0) {
                    rc.map().put(off, "garbage: not a register-command stream");
                } else {
                    TaskOp op = conv(jobName + "/t" + i, taskUs[i], src, dst);
                    rc.map().put(off, new RegcmdStream(ENTRIES, op, last ? 0 : addr[i + 1], last ? 0 : NpuRegs.amountFor(ENTRIES)));
                }
                tasks.add(new RocketTask(addr[i], ENTRIES));
            }
            return io.npusim.uapi.rocket.RocketJob.of(array(tasks), array(handles(in)), array(handles(out)));
        }

        /** A job reading {@code in} and writing {@code out}, with one task per duration. */
        io.npusim.uapi.rocket.RocketJob job(String jobName, Bo in, Bo out, double... taskUs) {
            return job(jobName, in == null ? List.of() : List.of(in), out == null ? List.of() : List.of(out), taskUs);
        }

        <T> UserArray<T> array(List<T> items) {
            if (items.isEmpty()) return UserArray.nullPointer();
            long a = nextUserPtr;
            nextUserPtr += 0x1000;
            return UserArray.of(a, items);
        }

        private List<Integer> handles(List<Bo> bos) {
            List<Integer> h = new ArrayList<>();
            for (Bo b : bos) h.add(b.handle());
            return h;
        }

        Submit submitOf(io.npusim.uapi.rocket.RocketJob... jobs) {
            return Submit.of(array(List.of(jobs)));
        }

        /** One SUBMIT of {@code jobs}, blocking until the ioctl returns (not until the jobs finish). */
        int submit(io.npusim.uapi.rocket.RocketJob... jobs) {
            return call(submitOf(jobs));
        }

        /** PREP_BO with an absolute deadline in ns of simulated time. */
        Ret prep(Bo bo, long deadlineNs) {
            return ioctl(PrepBo.of(bo.handle(), deadlineNs));
        }

        /** PREP_BO until the BO's writer is done. */
        Ret waitFor(Bo bo) {
            return prep(bo, FOREVER);
        }

        int fini(Bo bo) {
            return call(FiniBo.of(bo.handle()));
        }

        int pid() {
            return proc.pid();
        }

        @Override
        public String toString() {
            return name;
        }
    }
}
