package io.npusim.kernel.proposed;

import io.npusim.core.account.Attribution;
import io.npusim.core.account.Part;
import io.npusim.hw.config.ParamTable;
import io.npusim.hw.npu.NpuRegs;
import io.npusim.hw.npu.RegcmdStream;
import io.npusim.hw.npu.TaskOp;
import io.npusim.hw.npu.TaskRecord;
import io.npusim.kernel.drm.GemMapping;
import io.npusim.kernel.rig.AccelBoardRig;
import io.npusim.kernel.os.SimProcess;
import io.npusim.kernel.os.SimThread;
import io.npusim.uapi.Ioctl;
import io.npusim.uapi.codec.UserArray;
import io.npusim.uapi.proposed.BoCreate;
import io.npusim.uapi.proposed.BoResident;
import io.npusim.uapi.proposed.CtxCreate;
import io.npusim.uapi.proposed.CtxDestroy;
import io.npusim.uapi.proposed.CtxQuery;
import io.npusim.uapi.proposed.NpuFence;
import io.npusim.uapi.proposed.NpuSegment;
import io.npusim.uapi.proposed.NpuSubmit;
import io.npusim.uapi.proposed.NpuTask;
import io.npusim.uapi.proposed.NpuVariant;
import io.npusim.uapi.proposed.NpuWait;
import io.npusim.uapi.proposed.SramRequest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A board running the proposed driver, and small userspace clients driving its UAPI the way
 * ProposedSession (workloads) does: open /dev/accel/accel0, CTX_CREATE with a class and deadline,
 * BO_CREATE + BO_RESIDENT (+ mmap for the regcmd buffer), register-command streams written at
 * each task's NPU address with each part's tasks chained by their tails, SUBMIT returning a
 * timeline point, WAIT on it.
 *
 * <p>Calls are blocking ({@link Client#ioctl}): the simulation runs until the call returns while
 * everything else keeps running, as on a machine with a blocked thread. Several clients are
 * several processes. Tasks are 1x1 INT8 convolutions with 1024 channels in and out, MAC-bound,
 * whose width sets their duration (calibrated on the hardware model's own timing); their DMA
 * ranges are small and lie in the context's buffers unless a job says otherwise.
 */
final class ProposedRig extends AccelBoardRig {
    static final long KIB = 1024;

    final ProposedParams p;
    final ProposedDevice dev;
    /** TASK_NUMBER the kernel had written when each task completed, by task label. */
    final java.util.Map<String, Integer> taskNumberOf = new java.util.LinkedHashMap<>();

    ProposedRig(String... sets) {
        super(ParamTable.loadResources("npusim/hw-rk3588.yaml", "npusim/kernel.yaml").withAll(List.of(sets)));
        this.p = ProposedParams.from(params);
        this.dev = new ProposedDevice(k, p);
        k.register(dev);
    }

    @Override
    protected void onTaskDone(TaskRecord r) {
        taskNumberOf.put(r.label(), hw.core(r.core()).readReg(NpuRegs.PC_TASK_CON) & NpuRegs.TASK_NUMBER_MASK);
    }

    /** A new process (on the big cores) with one thread and the accel device opened. */
    Client client(String name) {
        Client c = new Client(name);
        int fd = c.open();
        if (fd < 0) throw new IllegalStateException("open " + ProposedDevice.PATH + ": " + fd);
        return c;
    }

    long now() {
        return nowPs();
    }

    /** Runs until a task with this label prefix has completed; returns when it started. */
    long runUntilTask(String prefix) {
        while (tasks(prefix).isEmpty()) {
            if (sim.pending() == 0) throw new AssertionError("no task " + prefix + " ran");
            sim.runUntil(sim.now() + 10 * US);
        }
        return first(prefix).startPs();
    }


    /** Task records whose label starts with {@code prefix} ("job/" for a whole job), in completion order. */
    List<TaskRecord> tasks(String prefix) {
        List<TaskRecord> l = new ArrayList<>();
        for (TaskRecord r : records) if (r.label().startsWith(prefix)) l.add(r);
        return l;
    }

    TaskRecord first(String prefix) {
        return tasks(prefix).stream().min((a, b) -> Long.compare(a.startPs(), b.startPs())).orElseThrow();
    }

    TaskRecord last(String prefix) {
        return tasks(prefix).stream().max((a, b) -> Long.compare(a.endPs(), b.endPs())).orElseThrow();
    }

    /** Distinct cores the tasks with this prefix ran on. */
    long coresOf(String prefix) {
        return tasks(prefix).stream().mapToInt(TaskRecord::core).distinct().count();
    }

    long cbufReloads() {
        long n = 0;
        for (int i = 0; i < hw.coreCount(); i++) n += hw.core(i).cbufReloads();
        return n;
    }

    // ---- clients ---------------------------------------------------------------------------

    /** A buffer of one client: what BO_CREATE returned, and its CPU mapping when mapped. */
    record Bo(int handle, long offset, long size, GemMapping map) {}

    /** The result of an ioctl: return value, out-struct, time it returned. */
    record Ret(int ret, Ioctl out, long atPs) {}

    /** An execution context of a client with its regcmd, weights and data buffers resident. */
    final class Ctx {
        final Client owner;
        final int id;
        final Bo regcmd;
        final long regcmdIova;
        final long weightsIova;
        final long dataIova;
        private long cursor;

        Ctx(Client owner, int id) {
            this.owner = owner;
            this.id = id;
            this.regcmd = owner.bo(512 * KIB, true);
            this.regcmdIova = owner.resident(this, regcmd);
            this.weightsIova = owner.resident(this, owner.bo(PAGE, false));
            this.dataIova = owner.resident(this, owner.bo(PAGE, false));
        }

        Job job(String name) {
            return new Job(this, name);
        }

        /** The next 64-byte aligned slot for one task's register commands. */
        long nextSlot() {
            long a = regcmdIova + cursor;
            cursor += ((long) ENTRIES * RegcmdStream.ENTRY_BYTES + 63) / 64 * 64;
            if (cursor > regcmd.size()) throw new IllegalStateException("regcmd buffer full");
            return a;
        }

        NpuFence point(long seqno) {
            return new NpuFence(id, 0, seqno);
        }

        CtxQuery query() {
            Ret r = owner.ioctl(CtxQuery.of(id));
            if (r.ret() != 0) throw new IllegalStateException("CTX_QUERY: " + r.ret());
            return (CtxQuery) r.out();
        }

        long submit(Job j, NpuFence... in) {
            Ret r = owner.ioctl(j.submit(in));
            if (r.ret() != 0) throw new IllegalStateException("SUBMIT " + j.name + ": " + r.ret());
            return ((NpuSubmit) r.out()).outSeqno();
        }

        Ret waitFor(long seqno) {
            return owner.ioctl(NpuWait.forever(id, seqno));
        }

        /** SUBMIT then WAIT; returns WAIT's return value. */
        int run(Job j, NpuFence... in) {
            return waitFor(submit(j, in)).ret();
        }

        /** SRAM_REQUEST for the first {@code bytes} of a resident buffer; returns the bytes granted. */
        long sram(Bo bo, long bytes, int priority) {
            Ret r = owner.ioctl(SramRequest.of(id, bo.handle(), bytes, priority));
            if (r.ret() != 0) throw new IllegalStateException("SRAM_REQUEST: " + r.ret());
            return ((SramRequest) r.out()).granted();
        }

        int destroy() {
            return owner.call(new CtxDestroy(id, 0));
        }
    }

    /**
     * A job being built: tasks written into the context's regcmd buffer (each part's tasks
     * chained by their tails) and the variants that index them. Task labels are
     * {@code name/v<cores>/s<segment>/p<part>/t<i>}.
     */
    final class Job {
        final Ctx ctx;
        final String name;
        final List<NpuTask> tasks = new ArrayList<>();
        final List<NpuVariant> variants = new ArrayList<>();
        private double us = 100;
        private long inIova;
        private long outIova;
        private boolean reuse;
        private final java.util.Set<String> garbage = new java.util.HashSet<>();

        Job(Ctx ctx, String name) {
            this.ctx = ctx;
            this.name = name;
            this.inIova = ctx.dataIova;
            this.outIova = ctx.dataIova;
        }

        /** Duration of each task written from now on. */
        Job us(double taskUs) {
            this.us = taskUs;
            return this;
        }

        /** Input feature DMA at this NPU address. */
        Job reading(long iova) {
            this.inIova = iova;
            return this;
        }

        /** Every task but the first of each part keeps its weights in the CBUF (weight reuse). */
        Job weightReuse() {
            this.reuse = true;
            return this;
        }

        /** The task at {@code indexInPart} of part {@code part} of the variants written from now on is undecodable (the core hangs on it). */
        Job garbage(int part, int indexInPart) {
            garbage.add(part + ":" + indexInPart);
            return this;
        }

        /** A variant for {@code cores} cores; {@code segments[s][p]} is the task count of part p of segment s. */
        Job variant(int cores, int[]... segments) {
            List<NpuSegment> segs = new ArrayList<>();
            for (int s = 0; s < segments.length; s++) {
                int[] start = new int[3], count = new int[3];
                for (int part = 0; part < segments[s].length; part++) {
                    int n = segments[s][part];
                    start[part] = tasks.size();
                    count[part] = n;
                    long[] at = new long[n];
                    for (int i = 0; i < n; i++) at[i] = ctx.nextSlot();
                    for (int i = 0; i < n; i++) {
                        boolean last = i == n - 1;
                        long off = at[i] - ctx.regcmdIova;
                        String label = name + "/v" + cores + "/s" + s + "/p" + part + "/t" + i;
                        if (garbage.contains(part + ":" + i)) {
                            ctx.regcmd.map().put(off, "garbage: not a register-command stream");
                        } else {
                            TaskOp op = convOp(label, (int) widthForUs(us), inIova, ctx.weightsIova, outIova, reuse && i > 0);
                            ctx.regcmd.map().put(off, new RegcmdStream(ENTRIES, op, last ? 0 : at[i + 1], last ? 0 : NpuRegs.amountFor(ENTRIES)));
                        }
                        tasks.add(new NpuTask(at[i], ENTRIES));
                    }
                }
                segs.add(new NpuSegment(start, count));
            }
            variants.add(NpuVariant.of(cores, ctx.owner.array(segs)));
            return this;
        }

        /** One core, one part of {@code n} tasks. */
        Job single(int n) {
            return variant(1, new int[] {n});
        }

        /** {@code cores} cores, one segment of {@code cores} parts of {@code n} tasks each. */
        Job wide(int cores, int n) {
            int[] parts = new int[cores];
            Arrays.fill(parts, n);
            return variant(cores, parts);
        }

        /** Variants for 1, 2 and 3 cores of the same {@code total} tasks, split evenly (one segment each). */
        Job everyWidth(int total) {
            for (int c = 1; c <= 3; c++) {
                int[] parts = new int[c];
                for (int i = 0; i < c; i++) parts[i] = total / c + (i < total % c ? 1 : 0);
                variant(c, parts);
            }
            return this;
        }

        NpuSubmit submit(NpuFence... in) {
            return NpuSubmit.of(ctx.id, ctx.owner.array(tasks), ctx.owner.array(variants), ctx.owner.array(List.of(in)));
        }
    }

    /** One userspace process with one thread and one open accel file. */
    final class Client {
        final String name;
        final SimProcess proc;
        final SimThread thread;
        int fd = -1;
        private long nextUserPtr = 0x7f00_0000L;

        Client(String name) {
            this.name = name;
            this.proc = k.spawn(name, hw.cpus().bigCpus());
            this.thread = proc.newThread("main");
        }

        int open() {
            fd = await(done -> k.open(thread, ProposedDevice.PATH, done::accept));
            return fd;
        }

        int close() {
            return await(done -> k.close(thread, fd, done::accept));
        }

        Ret ioctl(Ioctl arg) {
            return await(done -> k.ioctl(thread, fd, arg, (r, out) -> done.accept(new Ret(r, out, sim.now()))));
        }

        int call(Ioctl arg) {
            return ioctl(arg).ret();
        }

        /** CTX_CREATE of a class with a relative deadline (0: none) and the context's working buffers. */
        Ctx ctx(int cls, long deadlineNs) {
            Ret r = ioctl(CtxCreate.of(cls, deadlineNs));
            if (r.ret() != 0) throw new IllegalStateException("CTX_CREATE: " + r.ret());
            return new Ctx(this, ((CtxCreate) r.out()).ctxId());
        }

        /** BO_CREATE, and an mmap of the whole BO when {@code map}. */
        Bo bo(long bytes, boolean map) {
            Ret r = ioctl(BoCreate.of(bytes));
            if (r.ret() != 0) throw new IllegalStateException("BO_CREATE " + bytes + ": " + r.ret());
            BoCreate c = (BoCreate) r.out();
            GemMapping m = null;
            if (map) {
                GemMapping[] out = new GemMapping[1];
                int mr = await(done -> k.mmap(thread, fd, c.offset(), c.sizeBytes(), (ret, mm) -> {
                    out[0] = (GemMapping) mm;
                    done.accept(ret);
                }));
                if (mr != 0) throw new IllegalStateException("mmap: " + mr);
                m = out[0];
            }
            return new Bo(c.handle(), c.offset(), c.sizeBytes(), m);
        }

        Bo bo(long bytes) {
            return bo(bytes, false);
        }

        /** BO_RESIDENT; returns the IOVA. */
        long resident(Ctx ctx, Bo bo) {
            Ret r = ioctl(BoResident.of(ctx.id, bo.handle()));
            if (r.ret() != 0) throw new IllegalStateException("BO_RESIDENT: " + r.ret());
            return ((BoResident) r.out()).iova();
        }

        <T> UserArray<T> array(List<T> items) {
            if (items.isEmpty()) return UserArray.nullPointer();
            long a = nextUserPtr;
            nextUserPtr += 0x10000;
            return UserArray.of(a, items);
        }

        /** Starts a request whose latency parts the kernel's work for this thread is charged to. */
        Attribution track() {
            Attribution a = new Attribution(sim.now());
            thread.setRequest(a);
            return a;
        }

        /** Ends the tracked request; returns its picoseconds of {@code part}. */
        long finish(Attribution a, Part part) {
            thread.setRequest(null);
            return a.finish(sim.now())[part.ordinal()];
        }

        @Override
        public String toString() {
            return name;
        }
    }
}
