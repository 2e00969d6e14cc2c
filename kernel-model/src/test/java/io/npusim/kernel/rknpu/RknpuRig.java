package io.npusim.kernel.rknpu;

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
import io.npusim.kernel.cost.KernelCosts;
import io.npusim.kernel.os.Kernel;
import io.npusim.kernel.os.SimProcess;
import io.npusim.kernel.os.SimThread;
import io.npusim.uapi.Ioctl;
import io.npusim.uapi.os.UserMapping;
import io.npusim.uapi.rknpu.JobFlags;
import io.npusim.uapi.rknpu.MemCreate;
import io.npusim.uapi.rknpu.MemFlags;
import io.npusim.uapi.rknpu.MemMap;
import io.npusim.uapi.rknpu.RknpuTask;
import io.npusim.uapi.rknpu.SubcoreTask;
import io.npusim.uapi.rknpu.Submit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * A board with the vendor device tree (one shared IOMMU) and the rknpu driver, and userspace
 * clients that drive its UAPI the way librknnrt does (RknpuSession in workloads): MEM_CREATE,
 * MEM_MAP + mmap, register-command streams chained task to task in a regcmd BO, rknpu_task
 * entries in a KERNEL_MAPPING task BO, and SUBMITs with per-core subcore_task ranges.
 */
final class RknpuRig {
    /** Regcmd entries per task (60 register writes + the 4 PC tail entries). */
    static final int ENTRIES = 64;
    static final long STREAM_BYTES = ENTRIES * RegcmdStream.ENTRY_BYTES;

    final Simulator sim = new Simulator();
    final ParamTable params;
    final Rk3588 hw;
    final Kernel k;
    final RknpuDevice dev;
    final RknpuParams p;
    final List<TaskRecord> records = new ArrayList<>();
    final List<Integer> hungCores = new ArrayList<>();
    final int[] lostTasks = new int[3];

    RknpuRig(String... sets) {
        params = ParamTable.loadResources("npusim/hw-rk3588.yaml", "npusim/kernel.yaml").withAll(List.of(sets));
        hw = new Rk3588(sim, params, Rk3588.IommuTopology.SHARED, TraceSink.NONE);
        k = new Kernel(sim, hw, KernelCosts.from(params), TraceSink.NONE);
        p = RknpuParams.from(params);
        dev = new RknpuDevice(k, p);
        k.register(dev);
        NpuObserver obs = new NpuObserver() {
            @Override
            public void taskDone(TaskRecord r) {
                records.add(r);
            }

            @Override
            public void hung(int core, long address, long nowPs) {
                hungCores.add(core);
            }

            @Override
            public void workLost(int core, int tasks, String reason, long nowPs) {
                lostTasks[core] += tasks;
            }
        };
        for (int i = 0; i < 3; i++) hw.core(i).setObserver(obs);
    }

    /** Runs until {@code cond} holds (checked every 10 us of simulated time); fails after {@code limitPs}. */
    void runUntil(BooleanSupplier cond, long limitPs) {
        long end = sim.now() + limitPs;
        while (!cond.getAsBoolean()) {
            if (sim.now() >= end) throw new AssertionError("condition not reached within " + Time.format(limitPs) + " (now " + Time.format(sim.now()) + ")");
            sim.runUntil(Math.min(end, sim.now() + Time.us(10)));
        }
    }

    void runFor(long ps) {
        sim.runUntil(sim.now() + ps);
    }

    <T> Pending<T> await(Pending<T> p) {
        runUntil(() -> p.done, Time.seconds(30));
        return p;
    }

    Client client(String name) {
        return new Client(this, name);
    }

    /** Tasks that ran on {@code core}, in order. */
    List<TaskRecord> on(int core) {
        return records.stream().filter(r -> r.core() == core).toList();
    }

    /** Tasks of one job (by the driver's job id in the core context). */
    List<TaskRecord> ofJob(long job) {
        return records.stream().filter(r -> r.job() == job).toList();
    }

    /** A completion of a system call: return value, out-struct and the time it came back to userspace. */
    static final class Pending<T> {
        final long startPs;
        boolean done;
        int ret;
        T out;
        long atPs;

        Pending(long startPs) {
            this.startPs = startPs;
        }

        void complete(int ret, T out, long nowPs) {
            this.done = true;
            this.ret = ret;
            this.out = out;
            this.atPs = nowPs;
        }

        long latencyPs() {
            return atPs - startPs;
        }
    }

    /** A BO as userspace holds it after MEM_CREATE (+ MEM_MAP and mmap). */
    record Bo(int handle, long objAddr, long iova, long size, long sramSize, UserMapping map) {}

    /** One process with the device open, a task BO, a regcmd BO and a data BO. */
    static final class Client {
        final RknpuRig rig;
        final String name;
        final SimProcess proc;
        final SimThread thread;
        final int fd;
        Bo tasks;
        Bo regcmd;
        Bo data;
        int domain;
        private int nextTask;
        private long nextStream;

        Client(RknpuRig rig, String name) {
            this.rig = rig;
            this.name = name;
            this.proc = rig.k.spawn(name, new int[] {4, 5, 6, 7});
            this.thread = proc.newThread("main");
            Pending<Integer> o = new Pending<>(rig.sim.now());
            rig.k.open(thread, RknpuDevice.PATH, r -> o.complete(r, r, rig.sim.now()));
            rig.await(o);
            if (o.ret < 0) throw new AssertionError("open failed: " + o.ret);
            this.fd = o.ret;
        }

        /** An ioctl from the main thread, started now; run the rig to see it complete. */
        @SuppressWarnings("unchecked")
        <T extends Ioctl> Pending<T> ioctl(T arg) {
            return ioctl(thread, arg);
        }

        @SuppressWarnings("unchecked")
        <T extends Ioctl> Pending<T> ioctl(SimThread t, T arg) {
            Pending<T> p = new Pending<>(rig.sim.now());
            rig.k.ioctl(t, fd, arg, (ret, out) -> p.complete(ret, (T) out, rig.sim.now()));
            return p;
        }

        /** An ioctl run to completion. */
        <T extends Ioctl> Pending<T> call(T arg) {
            return rig.await(ioctl(arg));
        }

        Pending<UserMapping> mmap(long offset, long length) {
            Pending<UserMapping> p = new Pending<>(rig.sim.now());
            rig.k.mmap(thread, fd, offset, length, (ret, m) -> p.complete(ret, m, rig.sim.now()));
            return rig.await(p);
        }

        /** MEM_CREATE that must succeed; mapped for the CPU when {@code cpu}. */
        Bo bo(int flags, long size, long sramSize, int domain, boolean cpu) {
            Pending<MemCreate> c = call(MemCreate.of(flags, size, sramSize, domain, 0));
            if (c.ret != 0) throw new AssertionError("MEM_CREATE failed: " + c.ret);
            MemCreate m = c.out;
            UserMapping map = null;
            if (cpu) {
                Pending<MemMap> mm = call(MemMap.of(m.handle()));
                if (mm.ret != 0) throw new AssertionError("MEM_MAP failed: " + mm.ret);
                Pending<UserMapping> mp = mmap(mm.out.offset(), m.sizeBytes());
                if (mp.ret != 0) throw new AssertionError("mmap failed: " + mp.ret);
                map = mp.out;
            }
            return new Bo(m.handle(), m.objAddr(), m.dmaAddr(), m.sizeBytes(), m.sramSizeBytes(), map);
        }

        /** The runtime's usual buffers: task BO, regcmd BO, data BO (all in {@code domain}). */
        Client withBuffers(int maxTasks, int domain) {
            this.domain = domain;
            tasks = bo(MemFlags.KERNEL_MAPPING | MemFlags.CACHEABLE, (long) maxTasks * RknpuTask.SIZE, 0, domain, true);
            regcmd = bo(MemFlags.CACHEABLE, (long) maxTasks * STREAM_BYTES, 0, domain, true);
            data = bo(MemFlags.NON_CONTIGUOUS, 4L << 20, 0, domain, false);
            return this;
        }

        Client withBuffers(int maxTasks) {
            return withBuffers(maxTasks, 0);
        }

        /** An int8 convolution tile over the data BO. */
        TaskOp conv(String label, int cin, int hw, int cout, int kk) {
            long in = (long) cin * hw * hw, w = (long) cin * cout * kk * kk, out = (long) cout * hw * hw;
            long base = data.iova();
            if (in + w + out > data.size()) throw new IllegalArgumentException("tile larger than the data BO");
            return new TaskOp(label, TaskOp.Kind.CONV, Dtype.INT8, new TaskOp.Shape(cin, hw, hw, cout, hw, hw, kk, kk, 1, 1, 1),
                    new TaskOp.Cbuf(6, 6, false), TaskOp.Post.BIAS_RELU,
                    List.of(new TaskOp.Dma(TaskOp.Operand.FEATURE, base, in),
                            new TaskOp.Dma(TaskOp.Operand.WEIGHT, base + in, w),
                            new TaskOp.Dma(TaskOp.Operand.OUTPUT, base + in + w, out)),
                    (long) hw * hw * cout * cin * kk * kk);
        }

        /** A small tile of a few microseconds. */
        TaskOp small(String label) {
            return conv(label, 32, 16, 32, 3);
        }

        /**
         * Writes a chain of tasks (regcmd streams linked by their PC tail entries, and one
         * rknpu_task each); returns the index of the first task in the task BO.
         */
        int chain(List<TaskOp> ops) {
            return chain(ops, false);
        }

        /**
         * Same; with {@code thenHang} one more task follows whose regcmd slot holds nothing
         * decodable (the last good task chains to it), so the PC hangs after the good ones.
         */
        int chain(List<TaskOp> ops, boolean thenHang) {
            int start = nextTask;
            int n = ops.size() + (thenHang ? 1 : 0);
            long[] addr = new long[n];
            for (int i = 0; i < n; i++) {
                addr[i] = regcmd.iova() + nextStream;
                nextStream += STREAM_BYTES;
            }
            for (int i = 0; i < n; i++) {
                boolean last = i == n - 1;
                TaskOp op = i < ops.size() ? ops.get(i) : null;
                if (op != null) {
                    regcmd.map().put(addr[i] - regcmd.iova(), new RegcmdStream(ENTRIES, op, last ? 0 : addr[i + 1], last ? 0 : NpuRegs.amountFor(ENTRIES)));
                }
                tasks.map().put((long) nextTask * RknpuTask.SIZE, new RknpuTask(0, nextTask, 0xd, op != null ? op.doneBits() : 0x300, 0x1ffff, 0,
                        ENTRIES - RegcmdStream.TAIL_ENTRIES, 0, addr[i]));
                nextTask++;
            }
            return start;
        }

        /** A chain of {@code n} copies of {@code op}. */
        int chain(int n, TaskOp op) {
            TaskOp[] a = new TaskOp[n];
            Arrays.fill(a, op);
            return chain(Arrays.asList(a));
        }

        /** A task whose regcmd address holds nothing decodable: the core hangs on it (no interrupt). */
        int hangTask() {
            int index = nextTask++;
            long addr = regcmd.iova() + nextStream; // nothing written there
            nextStream += STREAM_BYTES;
            tasks.map().put((long) index * RknpuTask.SIZE, new RknpuTask(0, index, 0xd, 0x300, 0x1ffff, 0,
                    ENTRIES - RegcmdStream.TAIL_ENTRIES, 0, addr));
            return index;
        }

        /** subcore_task[] as librknnrt fills it for a single-core or AUTO job: entries 0..2 the same range. */
        static List<SubcoreTask> single(int start, int n) {
            SubcoreTask t = new SubcoreTask(start, n);
            return List.of(t, t, t, SubcoreTask.NONE, SubcoreTask.NONE);
        }

        Submit submit(int flags, int mask, int timeoutMs, int start, int n, List<SubcoreTask> sub) {
            return Submit.of(flags, timeoutMs, start, n, 0, tasks.objAddr(), domain, tasks.iova(), mask, -1, sub);
        }

        /** A PC + ping-pong submit of one range on one core (or AUTO). */
        Submit single(int flags, int mask, int timeoutMs, int start, int n) {
            return submit(flags, mask, timeoutMs, start, n, single(start, n));
        }

        SimThread newThread(String n) {
            return proc.newThread(n);
        }
    }

    /** A closed-loop client thread: the same blocking submit back to back until {@code stopPs}. */
    static final class Loop {
        record Result(int ret, long startPs, long endPs) {}

        final Client c;
        final SimThread thread;
        final Submit job;
        final List<Result> results = new ArrayList<>();
        long stopPs = Long.MAX_VALUE;

        Loop(Client c, Submit job) {
            this.c = c;
            this.thread = c.thread;
            this.job = job;
        }

        Loop start() {
            long t0 = c.rig.sim.now();
            c.rig.k.ioctl(thread, c.fd, job, (ret, out) -> {
                long now = c.rig.sim.now();
                results.add(new Result(ret, t0, now));
                if (now < stopPs) start();
            });
            return this;
        }

        /** Results that came back in [from, to). */
        List<Result> between(long from, long to) {
            return results.stream().filter(r -> r.endPs() >= from && r.endPs() < to).toList();
        }

        long errors() {
            return results.stream().filter(r -> r.ret() != 0).count();
        }
    }

    static final int PC_PP = JobFlags.PC | JobFlags.PINGPONG;
    static final int PC_PP_NB = PC_PP | JobFlags.NONBLOCK;
}
