package io.npusim.workloads.compile;

import io.npusim.hw.npu.Dtype;
import io.npusim.hw.npu.NpuParams;
import io.npusim.hw.npu.TaskOp;
import io.npusim.workloads.graph.Conv2d;
import io.npusim.workloads.graph.MatMul;
import io.npusim.workloads.graph.Op;
import io.npusim.workloads.graph.Tensor;
import io.npusim.workloads.graph.Window;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a layer into tasks that fit the CBUF (12 banks of 32 KiB per core), tiling feature maps
 * along height only, with neighbouring tiles overlapping by {@code kh - 1} input rows. Two
 * strategies:
 * <ul>
 *   <li>{@link Strategy#MESA}: Mesa's {@code rkt_split_tasks} (rocket-upstream.md 4.3): weights take
 *       {@code ceil(bytes / bank) + 1} banks; if they fit with one bank to spare, they stay resident
 *       (loaded by the first task) and the input gets the rest; otherwise 7 input banks, 5 weight
 *       banks, and every task streams all weights again;</li>
 *   <li>{@link Strategy#VENDOR}: a fixed number of feature banks per task (fitted to the vendor
 *       runtime's task counts); weights that do not fit in the remaining banks are split into
 *       passes over output channels, each pass re-reading the input.</li>
 * </ul>
 */
public final class Tiler {
    public enum Strategy { MESA, VENDOR }

    private final NpuParams npu;
    private final Strategy strategy;
    private final int vendorDataBanks;
    private final int regcmdEntries;

    public Tiler(NpuParams npu, Strategy strategy, int vendorDataBanks, int regcmdEntries) {
        this.npu = npu;
        this.strategy = strategy;
        this.vendorDataBanks = vendorDataBanks;
        this.regcmdEntries = regcmdEntries;
    }

    /** Whether a layer's weights stay in the CBUF for all its tiles (Mesa: one job per operation). */
    public boolean weightsResident(Layer l) {
        long weights = cbufWeightBytes(l);
        if (weights == 0) return true;
        return strategy == Strategy.MESA ? mesaWeightBanks(weights) + 1 < npu.cbufBanks()
                : (long) (npu.cbufBanks() - vendorDataBanks) * npu.cbufBankBytes() >= weights;
    }

    /**
     * Weight bytes the CBUF split counts. Mesa counts the kernel alone, {@code kw*kh*Cin*Cout}
     * ({@code kw*kh*C} for a depthwise convolution): the biases sit in a BO of their own and are
     * not in the CBUF (rkt_task.c {@code calc_weights_banks}, rkt_ml.c {@code lower_convolution};
     * rocket-upstream.md 4.3). The vendor rule, fitted to RKNN's task counts, counts the biases too.
     */
    private long cbufWeightBytes(Layer l) {
        return strategy == Strategy.MESA && l.main() instanceof Conv2d c ? c.weight().bytes() : l.weightBytes();
    }

    private int mesaWeightBanks(long weightBytes) {
        return (int) ((weightBytes + npu.cbufBankBytes() - 1) / npu.cbufBankBytes()) + 1;
    }

    /** Tasks of one NPU layer, in execution order. */
    public List<TaskPlan> tile(Layer l, Placement at, int weightBuffer, long weightOffset) {
        return tile(l, at, weightBuffer, weightOffset, -1, 0, 1);
    }

    /**
     * Tasks of one NPU layer cut into at least {@code bands} row bands (as far as its output has
     * rows), so that a multi-core split can give every core an equal share of the rows.
     */
    public List<TaskPlan> tile(Layer l, Placement at, int weightBuffer, long weightOffset, int bands) {
        return tile(l, at, weightBuffer, weightOffset, -1, 0, bands);
    }

    /**
     * Tasks of one NPU layer whose biases live in a buffer of their own ({@code biasBuffer} at
     * {@code biasOffset}), as Mesa's separate bias BO per operation; a negative {@code biasBuffer}
     * puts them right after the kernel in the weight buffer.
     */
    public List<TaskPlan> tile(Layer l, Placement at, int weightBuffer, long weightOffset, int biasBuffer, long biasOffset) {
        return tile(l, at, weightBuffer, weightOffset, biasBuffer, biasOffset, 1);
    }

    private List<TaskPlan> tile(Layer l, Placement at, int weightBuffer, long weightOffset, int biasBuffer, long biasOffset, int bands) {
        Op op = l.main();
        Dtype dt = NpuLayout.dtype(l.output().dtype());
        return switch (l.kind()) {
            case CONV, DEPTHWISE -> op instanceof MatMul m ? matmul(l, m, dt, at, weightBuffer, weightOffset)
                    : op instanceof Conv2d c ? conv(l, c, dt, at, weightBuffer, weightOffset, biasBuffer, biasOffset, bands)
                    : resize(l, dt, at);
            case ELEMENTWISE, LUT -> streaming(l, dt, at, l.kind(), bands);
            case POOL -> streaming(l, dt, at, TaskOp.Kind.POOL, 1);
            case COPY -> copy(l, dt, at);
        };
    }

    private List<TaskPlan> conv(Layer l, Conv2d c, Dtype dt, Placement at, int wBuf, long wOff, int bBuf, long bOff, int bands) {
        Tensor x = c.x();
        Tensor y = l.output();
        Window win = c.window();
        int inH = NpuLayout.h(x), inW = NpuLayout.w(x), inC = c.cin();
        int outH = NpuLayout.h(y), outW = NpuLayout.w(y), outC = c.cout();
        long rowIn = NpuLayout.rowBytes(inW, inC, dt);
        long rowOut = NpuLayout.rowBytes(outW, outC, dt);
        long weights = cbufWeightBytes(l);
        int biasBuf = bBuf < 0 ? wBuf : bBuf;
        long biasOff = bBuf < 0 ? wOff + weights : bOff;
        int banks = npu.cbufBanks();
        int dataBanks;
        int weightBanks;
        boolean resident;
        int passes = 1;
        if (strategy == Strategy.MESA) {
            int wb = weights == 0 ? 0 : mesaWeightBanks(weights);
            resident = wb + 1 < banks;
            dataBanks = resident ? banks - wb : 7;
            weightBanks = resident ? wb : 5;
        } else {
            dataBanks = vendorDataBanks;
            long room = (long) (banks - dataBanks) * npu.cbufBankBytes();
            passes = weights == 0 ? 1 : (int) Math.max(1, (weights + room - 1) / room);
            weightBanks = banks - dataBanks;
            resident = true;
        }
        long dataBytes = (long) dataBanks * npu.cbufBankBytes();
        int kh = win.kernelH(), sh = win.strideH();
        int inRowsFit = (int) Math.max(kh, dataBytes / Math.max(1, rowIn));
        int outRowsPerTile = Math.max(1, (inRowsFit - kh) / sh + 1);
        // Mesa: when the whole input fits the input banks there is one task ("Full weights, full
        // input" in rkt_task.c rkt_split_tasks; rocket-upstream.md 4.3), whatever the padding
        if (strategy == Strategy.MESA && (long) inH * rowIn <= dataBytes) outRowsPerTile = outH;
        // split over cores: each core takes an equal share of the output, by output channels when
        // the weights outweigh the input (a core then reads a third of the weights and all the
        // input, instead of all the weights and a third of the input), by rows otherwise
        long inBytes = (long) inH * rowIn;
        if (bands > 1 && !c.isDepthwise() && weights > inBytes && outC >= 32 * bands) {
            passes = (Math.max(passes, bands) + bands - 1) / bands * bands;
        } else if (passes == 1 && bands > 1) {
            outRowsPerTile = Math.min(outRowsPerTile, Math.max(1, (outH + bands - 1) / bands));
        }
        int tiles = (outH + outRowsPerTile - 1) / outRowsPerTile;
        Placement.Where xin = at.of(x);
        Placement.Where out = at.of(y);
        Placement.Where ew = l.post().ewAdd() ? at.of(l.inputs().get(1)) : null;
        int coutPerPass = (int) Math.min(outC, roundUp((outC + passes - 1) / passes, 32));
        long macsTotal = l.macs();
        List<TaskPlan> tasks = new ArrayList<>(tiles * passes);
        for (int p = 0; p < passes; p++) {
            int c0 = p * coutPerPass;
            int cN = Math.min(coutPerPass, outC - c0);
            if (cN <= 0) break;
            long passWeights = weights * cN / outC;
            for (int t = 0; t < tiles; t++) {
                int o0 = t * outRowsPerTile;
                int oRows = Math.min(outRowsPerTile, outH - o0);
                int i0 = Math.max(0, o0 * sh - win.padTop());
                int iRows = Math.max(1, Math.min(inH - i0, (oRows - 1) * sh + kh));
                List<TaskPlan.Dma> dma = new ArrayList<>(5);
                dma.add(new TaskPlan.Dma(TaskOp.Operand.FEATURE, xin.buffer(), xin.offset() + i0 * rowIn, iRows * rowIn));
                boolean loadWeights = !resident || t == 0;
                if (passWeights > 0 && loadWeights) {
                    dma.add(new TaskPlan.Dma(TaskOp.Operand.WEIGHT, wBuf, wOff + weights * c0 / outC, passWeights));
                    dma.add(new TaskPlan.Dma(TaskOp.Operand.BIAS, biasBuf, biasOff + 4L * c0, 4L * cN));
                }
                long outBytes = oRows * NpuLayout.rowBytes(outW, cN, dt);
                if (ew != null) dma.add(new TaskPlan.Dma(TaskOp.Operand.EW_INPUT, ew.buffer(), ew.offset() + o0 * rowOut, outBytes));
                dma.add(new TaskPlan.Dma(TaskOp.Operand.OUTPUT, out.buffer(), out.offset() + o0 * rowOut, outBytes));
                long macs = macsTotal * oRows / outH * cN / outC;
                TaskOp.Shape shape = new TaskOp.Shape(inC, iRows, inW, cN, oRows, outW, win.kernelH(), win.kernelW(),
                        win.strideH(), win.strideW(), c.isDepthwise() ? cN : c.groups() == 1 ? 1 : Math.max(1, c.groups() * cN / outC));
                TaskOp.Cbuf cb = new TaskOp.Cbuf(dataBanks, weightBanks, resident && t > 0);
                tasks.add(new TaskPlan(label(l, tasks.size(), tiles * passes), l.name(), l.kind(), dt, shape, cb, l.post(), dma, macs, regcmdEntries));
            }
        }
        return tasks;
    }

    private List<TaskPlan> matmul(Layer l, MatMul m, Dtype dt, Placement at, int wBuf, long wOff) {
        int mRows = (int) Math.min(Integer.MAX_VALUE, m.batch() * m.m());
        int k = m.k(), n = m.n();
        int eb = NpuLayout.elemBytes(dt);
        long weights = (long) k * n * eb;
        int banks = npu.cbufBanks();
        int dataBanks = strategy == Strategy.MESA ? 7 : vendorDataBanks;
        long room = (long) (banks - dataBanks) * npu.cbufBankBytes();
        int passes = (int) Math.max(1, (weights + room - 1) / room);
        long rowIn = (long) NpuLayout.paddedChannels(k, dt) * eb;
        long dataBytes = (long) dataBanks * npu.cbufBankBytes();
        int rowsPerTile = (int) Math.max(1, Math.min(mRows, dataBytes / Math.max(1, rowIn)));
        int tiles = (mRows + rowsPerTile - 1) / rowsPerTile;
        Placement.Where a = at.of(m.a());
        Placement.Where out = at.of(l.output());
        int nPerPass = (int) Math.min(n, roundUp((n + passes - 1) / passes, 32));
        List<TaskPlan> tasks = new ArrayList<>();
        long rowOut = (long) NpuLayout.paddedChannels(n, dt) * eb;
        for (int p = 0; p < passes; p++) {
            int n0 = p * nPerPass;
            int nN = Math.min(nPerPass, n - n0);
            if (nN <= 0) break;
            for (int t = 0; t < tiles; t++) {
                int r0 = t * rowsPerTile;
                int rows = Math.min(rowsPerTile, mRows - r0);
                List<TaskPlan.Dma> dma = new ArrayList<>(4);
                dma.add(new TaskPlan.Dma(TaskOp.Operand.FEATURE, a.buffer(), a.offset() + r0 * rowIn, rows * rowIn));
                if (t == 0) {
                    if (m.constantB()) {
                        dma.add(new TaskPlan.Dma(TaskOp.Operand.WEIGHT, wBuf, wOff + (long) k * n0 * eb, (long) k * nN * eb));
                    } else { // attention-style matmul: B is an activation (e.g. the KV cache)
                        Placement.Where b = at.of(m.b());
                        dma.add(new TaskPlan.Dma(TaskOp.Operand.WEIGHT, b.buffer(), b.offset() + (long) k * n0 * eb, (long) k * nN * eb));
                    }
                }
                dma.add(new TaskPlan.Dma(TaskOp.Operand.OUTPUT, out.buffer(), out.offset() + r0 * rowOut, (long) rows * nN * eb));
                long macs = (long) rows * k * nN;
                tasks.add(new TaskPlan(label(l, tasks.size(), tiles * passes), l.name(), TaskOp.Kind.CONV, dt,
                        TaskOp.Shape.matmul(rows, k, nN), new TaskOp.Cbuf(dataBanks, banks - dataBanks, t > 0), l.post(),
                        dma, macs, regcmdEntries));
            }
        }
        return tasks;
    }

    /** Nearest/bilinear upsampling lowered to a transposed depthwise convolution (as the vendor compiler does). */
    private List<TaskPlan> resize(Layer l, Dtype dt, Placement at) {
        Tensor x = l.inputs().get(0);
        Tensor y = l.output();
        int c = NpuLayout.c(y), outH = NpuLayout.h(y), outW = NpuLayout.w(y);
        int inH = NpuLayout.h(x), inW = NpuLayout.w(x);
        long inBytes = NpuLayout.bytes(x, dt), outBytes = NpuLayout.bytes(y, dt);
        int tiles = tiles(inBytes);
        Placement.Where xin = at.of(x), out = at.of(y);
        List<TaskPlan> tasks = new ArrayList<>();
        for (int t = 0; t < tiles; t++) {
            long ib = share(inBytes, t, tiles), ob = share(outBytes, t, tiles);
            int oRows = Math.max(1, outH / tiles);
            List<TaskPlan.Dma> dma = List.of(
                    new TaskPlan.Dma(TaskOp.Operand.FEATURE, xin.buffer(), xin.offset() + inBytes * t / tiles, ib),
                    new TaskPlan.Dma(TaskOp.Operand.OUTPUT, out.buffer(), out.offset() + outBytes * t / tiles, ob));
            int scale = Math.max(1, outH / Math.max(1, inH));
            TaskOp.Shape shape = new TaskOp.Shape(c, Math.max(1, inH / tiles), inW, c, oRows, outW, scale, scale, 1, 1, c);
            long macs = (long) oRows * outW * c;
            tasks.add(new TaskPlan(label(l, t, tiles), l.name(), TaskOp.Kind.DEPTHWISE, dt, shape, TaskOp.Cbuf.NONE, TaskOp.Post.NONE, dma, macs, regcmdEntries));
        }
        return tasks;
    }

    /** Element-wise, LUT and pooling layers: streamed through the DPU/PPU in bank-sized slices. */
    private List<TaskPlan> streaming(Layer l, Dtype dt, Placement at, TaskOp.Kind kind, int bands) {
        Tensor y = l.output();
        long outBytes = NpuLayout.bytes(y, dt);
        long inBytes = 0;
        for (Tensor t : l.inputs()) inBytes += NpuLayout.bytes(t, dt);
        int tiles = tiles(Math.max(inBytes, outBytes));
        if (tiles < bands) tiles = Math.min(bands, Math.max(1, NpuLayout.h(y)));
        Placement.Where out = at.of(y);
        int c = NpuLayout.c(y), h = NpuLayout.h(y), w = NpuLayout.w(y);
        List<TaskPlan> tasks = new ArrayList<>();
        for (int t = 0; t < tiles; t++) {
            List<TaskPlan.Dma> dma = new ArrayList<>();
            boolean first = true;
            for (Tensor in : l.inputs()) {
                Placement.Where wIn = at.of(in);
                long b = NpuLayout.bytes(in, dt);
                dma.add(new TaskPlan.Dma(first ? TaskOp.Operand.FEATURE : TaskOp.Operand.EW_INPUT, wIn.buffer(),
                        wIn.offset() + b * t / tiles, share(b, t, tiles)));
                first = false;
            }
            dma.add(new TaskPlan.Dma(TaskOp.Operand.OUTPUT, out.buffer(), out.offset() + outBytes * t / tiles, share(outBytes, t, tiles)));
            int rows = Math.max(1, h / tiles);
            TaskOp.Shape shape = TaskOp.Shape.elementwise(c, rows, w);
            tasks.add(new TaskPlan(label(l, t, tiles), l.name(), kind, dt, shape, TaskOp.Cbuf.NONE, l.post(), dma, 0, regcmdEntries));
        }
        return tasks;
    }

    /** Concat, split, slice, pad, transpose: each input moved into its place in bank-sized slices. */
    private List<TaskPlan> copy(Layer l, Dtype dt, Placement at) {
        List<TaskPlan> tasks = new ArrayList<>();
        List<Tensor> outs = l.outputs();
        List<Tensor> ins = l.inputs();
        long total = 0;
        for (Tensor t : ins) total += NpuLayout.bytes(t, dt);
        long outTotal = 0;
        for (Tensor t : outs) outTotal += NpuLayout.bytes(t, dt);
        int count = 0;
        long written = 0;
        // one stream per input (concat) or per output (split/slice)
        List<Tensor> streams = ins.size() >= outs.size() ? ins : outs;
        for (Tensor s : streams) {
            long b = NpuLayout.bytes(s, dt);
            int tiles = tiles(b);
            Placement.Where src = ins.size() >= outs.size() ? at.of(s) : at.of(ins.get(0));
            Placement.Where dst = ins.size() >= outs.size() ? at.of(outs.get(0)) : at.of(s);
            long srcBase = ins.size() >= outs.size() ? src.offset() : src.offset() + written;
            long dstBase = ins.size() >= outs.size() ? dst.offset() + Math.min(written, Math.max(0, outTotal - b)) : dst.offset();
            for (int t = 0; t < tiles; t++) {
                long part = share(b, t, tiles);
                List<TaskPlan.Dma> dma = List.of(
                        new TaskPlan.Dma(TaskOp.Operand.FEATURE, src.buffer(), srcBase + b * t / tiles, part),
                        new TaskPlan.Dma(TaskOp.Operand.OUTPUT, dst.buffer(), dstBase + b * t / tiles, part));
                TaskOp.Shape shape = TaskOp.Shape.elementwise(Math.max(1, NpuLayout.c(s)), Math.max(1, NpuLayout.h(s) / tiles), NpuLayout.w(s));
                tasks.add(new TaskPlan(l.name() + " [" + count + "]", l.name(), TaskOp.Kind.COPY, dt, shape, TaskOp.Cbuf.NONE, TaskOp.Post.NONE, dma, 0, regcmdEntries));
                count++;
            }
            written += b;
        }
        if (total == 0) return List.of();
        return tasks;
    }

    private int tiles(long bytes) {
        int dataBanks = strategy == Strategy.MESA ? 11 : vendorDataBanks;
        long slice = (long) dataBanks * npu.cbufBankBytes();
        return (int) Math.max(1, (bytes + slice - 1) / slice);
    }

    private static long share(long total, int i, int n) {
        return total * (i + 1) / n - total * i / n;
    }

    private static String label(Layer l, int i, int n) {
        return n == 1 ? l.name() : l.name() + " [" + (i + 1) + "/" + n + "]";
    }

    private static int roundUp(int v, int a) {
        return (v + a - 1) / a * a;
    }
}
