package io.npusim.cli.explain;

import io.npusim.core.account.Part;
import io.npusim.system.board.Board;
import io.npusim.system.result.RunResult;
import io.npusim.workloads.arrival.ChatClient;
import io.npusim.workloads.arrival.Client;
import io.npusim.workloads.arrival.ClientStats;
import io.npusim.workloads.arrival.VisionClient;
import io.npusim.workloads.compile.Program;
import io.npusim.workloads.compile.Step;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A narrative of one run for teaching: what ran, where one request's time went part by part with
 * the mechanism behind each part under this policy, what the kernel and the hardware did, and
 * where to look in the trace. Built only from the run's own figures.
 */
public final class Narrative {
    private Narrative() {}

    public static String of(RunResult r, Path dir) {
        Board b = r.board();
        String policy = b.spec().policy().key();
        StringBuilder sb = new StringBuilder();
        double simS = b.durationPs() / 1e12;
        sb.append(String.format(Locale.ROOT, "What ran%n"));
        sb.append(String.format(Locale.ROOT, "  Scenario %s: %.1f simulated s, seed %d; NPU at %d MHz, DDR %s.%n", b.scenario().name(), simS, b.seed(),
                b.hw().clock().mhz(), b.hw().ddrPreset()));
        sb.append("  Policy ").append(policy).append(": ").append(policyText(policy)).append('\n');
        for (Client c : b.clients()) sb.append("  - ").append(clientText(c, policy)).append('\n');
        for (Client c : b.clients()) {
            ClientStats st = c.stats();
            sb.append('\n');
            if (st.failure() != null) {
                sb.append("Client ").append(c.name()).append(" could not run: ").append(st.failure()).append('\n');
                continue;
            }
            long n = st.requests();
            if (n == 0) {
                sb.append("Client ").append(c.name()).append(" completed no request in the run.\n");
                continue;
            }
            String unit = "llm".equals(st.kind()) ? "token" : "inference";
            double mean = st.latency().meanPs() / 1e9;
            sb.append(String.format(Locale.ROOT, "Where one %s of %s goes (%s, mean %.3f ms over %d)%n", unit, c.name(), st.model(), mean, n));
            long[] parts = st.breakdownPs();
            List<Part> order = new ArrayList<>(List.of(Part.values()));
            order.sort((x, y) -> Long.compare(parts[y.ordinal()], parts[x.ordinal()]));
            int step = 1;
            for (Part p : order) {
                double ms = parts[p.ordinal()] / (double) n / 1e9;
                if (ms < 0.0005) continue;
                sb.append(String.format(Locale.ROOT, "  %d. %-13s %8.3f ms (%4.1f%%)  %s%n", step++, p.key(), ms, 100 * ms / mean, partText(p, policy)));
            }
            sb.append("     The parts sum to the mean latency: each instant goes to the first of them, from the hardware up, that applies.\n");
            if (st.dropped() > 0 || st.deadlineMisses() > 0) {
                sb.append(String.format(Locale.ROOT, "  %d frames were dropped because the previous one was still running, and %d missed their deadline.%n",
                        st.dropped(), st.deadlineMisses()));
            }
        }
        Map<String, Object> kernel = map(r.summary().get("kernel"));
        Map<String, Object> npu = map(r.summary().get("npu"));
        sb.append('\n').append("Kernel and hardware\n");
        sb.append(String.format(Locale.ROOT, "  %s ioctls (%.0f/s) and %s interrupts (%.0f/s) cost %.1f ms of CPU in the kernel (%.2f%% of one CPU).%n",
                kernel.get("ioctls"), num(kernel.get("ioctls")) / simS, kernel.get("irqs"), num(kernel.get("irqs")) / simS, num(kernel.get("cpu_ms")),
                num(kernel.get("cpu_ms")) / 10 / simS));
        sb.append(String.format(Locale.ROOT, "  Jobs: %s submitted, %s completed, %s with an error, %s lost.%n", kernel.get("jobs_submitted"),
                kernel.get("jobs_completed"), kernel.get("jobs_errored"), kernel.get("jobs_lost")));
        sb.append("  NPU cores busy ").append(npu.get("core_busy_pct")).append(" %");
        if (npu.get("driver_load_pct") != null) sb.append(" (the driver's own load figure says ").append(npu.get("driver_load_pct")).append(" %: it counts reserved cores as busy)");
        sb.append(String.format(Locale.ROOT, "; DDR %.2f GB/s on average; IOTLB miss rate %.1f%%.%n", num(npu.get("ddr_gbps_mean")),
                100 * num(npu.get("iotlb_miss_rate"))));
        sb.append('\n').append("Where to look in the trace\n");
        sb.append("  Open ").append(dir.resolve("trace.json")).append(" in https://ui.perfetto.dev (or chrome://tracing).\n");
        for (Client c : b.clients()) {
            List<Double> lat = c.stats().latencyMsSeries();
            if (lat.isEmpty()) continue;
            int worst = 0;
            for (int i = 1; i < lat.size(); i++) if (lat.get(i) > lat.get(worst)) worst = i;
            double at = c.stats().arrivalSSeries().get(worst);
            sb.append(String.format(Locale.ROOT, "  - %s's slowest request (%.3f ms) starts at %.6f s: process \"client %s\", track \"requests\"; its args carry the breakdown.%n",
                    c.name(), lat.get(worst), at, c.name()));
        }
        sb.append("  - Task slices (cat npu.task, args: client, job, op, cycles) are in the processes \"NPU core 0..2\".\n");
        sb.append("  - ").append(kernelTrackText(policy)).append('\n');
        sb.append("  - Counters: DDR bandwidth (process \"DDR\"), IOTLB misses (\"IOMMU\"), queue depths per core.\n");
        return sb.toString();
    }

    private static String policyText(String policy) {
        return switch (policy) {
            case "rocket" -> "the upstream accel driver (drivers/accel/rocket): one drm_sched entity per open file over all cores, "
                    + "credit limit 1, each job attaches the file's IOMMU domain, one task per hardware start (TASK_NUMBER 1) and one "
                    + "interrupt per task, the next task written from the IRQ thread; implicit sync on BOs; 500 ms job timeout.";
            case "rknpu" -> "the vendor driver rknpu 0.9.8: explicit jobs with core masks, one FIFO per core, the whole task list "
                    + "chained by the PC with one interrupt per job per core, blocking submits, shared IOMMU, SRAM when configured.";
            default -> "the proposed NPU subsystem (execution contexts, residency, explicit jobs, scheduling classes).";
        };
    }

    private static String clientText(Client c, String policy) {
        if (c instanceof VisionClient v) {
            Program p = v.runtime().program();
            int npuSteps = 0, jobs = 0, tasks = 0, cpuSteps = 0;
            Map<String, Integer> cpuOps = new LinkedHashMap<>();
            for (Step s : p.steps()) {
                if (s instanceof Step.Npu n) {
                    npuSteps++;
                    jobs += n.jobs().size();
                    tasks += n.taskCount();
                } else if (s instanceof Step.Cpu cs && cs.part() == Part.CPU_FALLBACK) {
                    cpuSteps++;
                    cpuOps.merge(cs.opType(), 1, Integer::sum);
                }
            }
            String rt = switch (policy) {
                case "rocket" -> "TFLite + Teflon on Mesa's rocket driver";
                case "proposed" -> "the proposed runtime (the RKNN lowering compiled for one and three cores, one explicit job per NPU block carrying both variants)";
                default -> "the RKNN runtime";
            };
            String cpu = cpuSteps == 0 ? "no operator falls back to the CPU" : cpuSteps + " operators run on the CPU " + cpuOps;
            return String.format(Locale.ROOT, "%s: %s under %s; per inference %d submit calls carrying %d jobs and %d tasks; %s.",
                    c.name(), c.stats().model(), rt, npuSteps, jobs, tasks, cpu);
        }
        if (c instanceof ChatClient) {
            String rt = switch (policy) {
                case "rocket" -> "rocket-llm (a model of a custom runtime: matmuls as 1x1-conv jobs, the rest on the CPU; one open file, so one core at a time)";
                case "proposed" -> "the proposed LLM runtime (weights and KV cache resident in a throughput-class context, one explicit job per matmul group spread over the cores)";
                default -> "RKLLM (weights resident, one worker thread per NPU core, CPU operators on an OpenMP pool)";
            };
            return c.name() + ": " + c.stats().model() + " under " + rt + ".";
        }
        return c.name() + ": " + c.stats().model() + " (" + c.stats().kind() + ").";
    }

    private static String partText(Part p, String policy) {
        boolean rocket = policy.equals("rocket");
        return switch (p) {
            case NPU_COMPUTE -> "MAC array, DPU and PPU working on this request's tasks";
            case MEMORY_WAIT -> "tasks stalled on DDR, SRAM or the core's AXI port (bandwidth shared with the other cores and the CPUs)";
            case IOTLB_WALK -> rocket ? "IOMMU page walks: every job re-attaches the domain, so each job starts with a cold IOTLB"
                    : "IOMMU page walks on IOTLB misses";
            case TASK_OVERHEAD -> rocket ? "one interrupt per task: hard IRQ, IRQ thread, and the next task written by the CPU"
                    : policy.equals("proposed") ? "one interrupt per batch of chained tasks (the batch boundary is the preemption point), and each task's command fetch and setup"
                    : "register-command fetch and pipeline setup of each task (chained by the PC, no interrupt between tasks)";
            case JOB_OVERHEAD -> rocket ? "per job: SUBMIT ioctl, drm_sched work items, IOMMU attach and detach, fence signalling and the PREP_BO wake-up"
                    : "per job: the SUBMIT ioctl, commit, the completion interrupt and waking the blocked caller";
            case QUEUED -> rocket ? "waiting behind other jobs in drm_sched (credit limit 1 per core; one entity per file)"
                    : policy.equals("proposed") ? "parts waiting in the driver's class queues (latency before throughput before background)"
                    : "waiting in a core's FIFO behind other jobs, or for the other cores of a multi-core job";
            case RUNTIME_CPU -> "the runtime's own CPU work: input and output conversion, building submits, sampling";
            case CPU_FALLBACK -> "operators the NPU path does not run, executed on the CPU";
        };
    }

    private static String kernelTrackText(String policy) {
        return switch (policy) {
            case "rocket" -> "Interrupts, timeouts and resets: process \"kernel: rocket\"; scheduler work: \"kernel: drm_sched\".";
            case "proposed" -> "Batch ends, preemptions and watchdog resets: process \"kernel: proposed\", one track per core.";
            default -> "Jobs, queue depth per core, timeouts and resets: process \"kernel: rknpu\".";
        };
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    private static double num(Object o) {
        return o instanceof Number n ? n.doubleValue() : 0;
    }
}
