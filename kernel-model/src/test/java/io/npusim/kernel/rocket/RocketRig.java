package io.npusim.kernel.rocket;

import io.npusim.hw.config.ParamTable;
import io.npusim.hw.npu.NpuRegs;
import io.npusim.hw.npu.RegcmdStream;
import io.npusim.hw.npu.TaskOp;
import io.npusim.hw.npu.TaskRecord;
import io.npusim.kernel.drm.GemMapping;
import io.npusim.kernel.drm.GemObject;
import io.npusim.kernel.os.SimProcess;
import io.npusim.kernel.os.SimThread;
import io.npusim.kernel.rig.AccelBoardRig;
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
final class RocketRig extends AccelBoardRig {
    final RocketParams p;
    final RocketDevice dev;
    /** The kernel job each completed task belonged to, by task label. */
    final Map<String, RocketJob> jobOfTask = new LinkedHashMap<>();
    /** Jobs on the hardware when a core hung. */
    final List<RocketJob> hungJobs = new ArrayList<>();

    RocketRig(String... sets) {
        super(rocketBoard(sets));
        this.p = RocketParams.from(params);
        this.dev = new RocketDevice(k, p);
        k.register(dev);
    }

    /** What system's Configs does for the rocket policy: the mainline DT's NPU clock. */
    private static ParamTable rocketBoard(String... sets) {
        ParamTable t = ParamTable.loadResources("npusim/hw-rk3588.yaml", "npusim/kernel.yaml");
        t = t.with("clock.npu.mhz", Long.toString(t.integer("rocket.npu_mhz", "MHz")));
        return t.withAll(List.of(sets));
    }

    @Override
    protected void onTaskDone(TaskRecord r) {
        RocketJob j = onHardware(r.core(), r.job());
        if (j != null) jobOfTask.put(r.label(), j);
    }

    @Override
    protected void onHung(int core) {
        List<SchedJob> pending = dev.schedulers().get(core).pendingList();
        hungJobs.add((RocketJob) pending.get(pending.size() - 1));
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

    /** A 1x1 INT8 conv, 1024 channels in and out, {@code w} pixels wide, with small DMA ranges. */
    static TaskOp convOp(String label, int w, long inIova, long weightIova, long outIova) {
        return convOp(label, w, inIova, weightIova, outIova, false);
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
