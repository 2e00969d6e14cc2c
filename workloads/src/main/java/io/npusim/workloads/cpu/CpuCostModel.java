package io.npusim.workloads.cpu;

import io.npusim.core.account.Part;
import io.npusim.core.time.Time;
import io.npusim.hw.config.ParamTable;
import io.npusim.workloads.compile.Step;
import io.npusim.workloads.graph.Activation;
import io.npusim.workloads.graph.Conv2d;
import io.npusim.workloads.graph.DType;
import io.npusim.workloads.graph.Gather;
import io.npusim.workloads.graph.LayerNorm;
import io.npusim.workloads.graph.MatMul;
import io.npusim.workloads.graph.Op;
import io.npusim.workloads.graph.Reshape;
import io.npusim.workloads.graph.RmsNorm;
import io.npusim.workloads.graph.Softmax;
import io.npusim.workloads.graph.Tensor;

/**
 * Time of operators run on the CPU, on one unloaded Cortex-A76: MAC-bound operators at the A76's
 * throughput for their datatype, data-movement operators at streaming bandwidth, element-wise
 * and normalisation operators per element, plus a dispatch cost per operator. The result is a
 * {@link Step.Cpu} the runtime runs on its thread (so it shares the CPU and DDR with the rest).
 */
public final class CpuCostModel {
    private final double int8MacsPerPs;
    private final double fp32MacsPerPs;
    private final double fp16MacsPerPs;
    private final double streamBytesPerPs;
    private final double elementwisePs;
    private final double transcendentalPs;
    private final double normPs;
    private final long opOverheadPs;

    public CpuCostModel(ParamTable t) {
        int8MacsPerPs = t.positive("cpu.int8_gmacs", "GMAC/s") * 1e9 / 1e12;
        fp32MacsPerPs = t.positive("cpu.fp32_gmacs", "GMAC/s") * 1e9 / 1e12;
        fp16MacsPerPs = t.positive("cpu.fp16_gmacs", "GMAC/s") * 1e9 / 1e12;
        streamBytesPerPs = t.positive("cpu.stream_gbps", "GB/s") * 1e9 / 1e12;
        elementwisePs = t.nonNegative("cpu.elementwise_ns_per_element", "ns") * 1000;
        transcendentalPs = t.nonNegative("cpu.transcendental_ns_per_element", "ns") * 1000;
        normPs = t.nonNegative("cpu.norm_ns_per_element", "ns") * 1000;
        opOverheadPs = Time.fromUs(t.nonNegative("cpu.op_overhead_us", "us"));
    }

    /** One operator run on the CPU instead of the NPU. */
    public Step.Cpu fallback(Op op) {
        // a gather reads only its selected rows of the table (Gather.readBytes), not the whole table
        long bytes = op.readBytes() + op.writeBytes() + (op instanceof Gather ? 0 : op.weightBytes());
        double ps;
        if (op instanceof Conv2d || op instanceof MatMul) {
            DType dt = op.output().dtype();
            double rate = dt == DType.FP32 ? fp32MacsPerPs : dt == DType.FP16 ? fp16MacsPerPs : int8MacsPerPs;
            ps = Math.max(op.macs() / rate, bytes / streamBytesPerPs);
        } else if (op instanceof Softmax || op instanceof LayerNorm || op instanceof RmsNorm) {
            ps = elements(op) * normPs + (op instanceof Softmax ? elements(op) * transcendentalPs : 0);
        } else if (op instanceof Activation a) {
            boolean cheap = a.kind() == Activation.Kind.RELU || a.kind() == Activation.Kind.RELU6 || a.kind() == Activation.Kind.LEAKY_RELU;
            ps = elements(op) * (cheap ? elementwisePs : transcendentalPs);
        } else if (op instanceof Reshape) {
            ps = 0; // metadata only
            bytes = 0;
        } else {
            // add/mul/concat/split/slice/pad/resize/pool/transpose/gather/rope: data movement plus a little arithmetic
            ps = Math.max(bytes / streamBytesPerPs, elements(op) * elementwisePs);
        }
        return new Step.Cpu(op.name(), op.opType(), opOverheadPs + (long) ps, bytes, Part.CPU_FALLBACK, 1);
    }

    /** Runtime work that streams {@code bytes} at {@code nsPerByte} (layout conversions). */
    public Step.Cpu runtimeWork(String name, long bytes, double nsPerByte, long fixedPs) {
        long ps = fixedPs + (long) (bytes * nsPerByte * 1000);
        return new Step.Cpu(name, "runtime", ps, bytes * 2, Part.RUNTIME_CPU, 1);
    }

    /** A plain copy of {@code bytes} at streaming bandwidth (weight upload, buffer copies). */
    public Step.Cpu copy(String name, long bytes) {
        return new Step.Cpu(name, "runtime", (long) (bytes / streamBytesPerPs), bytes * 2, Part.RUNTIME_CPU, 1);
    }

    private static long elements(Op op) {
        long e = 0;
        for (Tensor t : op.outputs()) e += t.elements();
        return e;
    }
}
