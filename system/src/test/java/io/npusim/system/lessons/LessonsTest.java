package io.npusim.system.lessons;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.npusim.core.trace.TraceSink;
import io.npusim.kernel.proposed.ProposedDevice;
import io.npusim.system.Runner;
import io.npusim.system.isolation.CrossProcessProbe;
import io.npusim.system.result.RunResult;
import io.npusim.system.spec.Policy;
import io.npusim.system.spec.RunSpec;
import io.npusim.system.verdicts.TaskTap;
import io.npusim.workloads.scenario.ScenarioLoader;
import io.npusim.workloads.zoo.ModelZoo;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The claims of the seven lessons in docs/lessons/, each checked on the numbers of a short run of
 * the lesson's scenario (a few simulated seconds; the lessons quote the full-length runs, whose
 * figures these thresholds also hold for).
 */
class LessonsTest {
    /** The lessons' own scenarios, from this module's directory. */
    static final String DIR = "../docs/lessons/scenarios/";

    /** A run with a task tap. */
    record Tapped(RunResult result, TaskTap tap) {
        Map<String, Object> summary() {
            return result.summary();
        }
    }

    static Tapped runHw(String scenario, Policy p, double seconds, Integer npuMhz, String ddr, String... sets) {
        RunSpec spec = new RunSpec(scenario, p, null, null, seconds, npuMhz, ddr, null, List.of(sets), "none");
        TaskTap[] tap = new TaskTap[1];
        RunResult r = Runner.run(spec, new ScenarioLoader().load(scenario), TraceSink.NONE, b -> tap[0] = TaskTap.attach(b));
        return new Tapped(r, tap[0]);
    }

    static Tapped run(String scenario, Policy p, double seconds, String... sets) {
        return runHw(scenario, p, seconds, null, null, sets);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> client(Tapped t, String name) {
        for (Map<String, Object> c : (List<Map<String, Object>>) t.summary().get("clients")) if (name.equals(c.get("name"))) return c;
        throw new AssertionError("no client " + name);
    }

    @SuppressWarnings("unchecked")
    static double num(Map<String, Object> m, String... path) {
        Object o = m;
        for (String k : path) o = ((Map<String, Object>) o).get(k);
        return ((Number) o).doubleValue();
    }

    @SuppressWarnings("unchecked")
    static double busy(Tapped t, int core) {
        return ((List<Number>) ((Map<String, Object>) t.summary().get("npu")).get("core_busy_pct")).get(core).doubleValue();
    }

    @SuppressWarnings("unchecked")
    static double load(Tapped t, int core) {
        return ((List<Number>) ((Map<String, Object>) t.summary().get("npu")).get("driver_load_pct")).get(core).doubleValue();
    }

    static double kernel(Tapped t, String key) {
        return num(t.summary(), "kernel", key);
    }

    // ---- 1 ------------------------------------------------------------------------------------------

    @Test
    void lesson1_oneRocketFileNeverUsesTwoCoresAtOnce() {
        Tapped rocket = run("llm-chat", Policy.ROCKET, 3);
        // the chat's one file: its tasks never overlap in time, it hops between cores 0 and 1 and never uses core 2
        assertThat(rocket.tap().maxConcurrentTasks("chat")).isEqualTo(1);
        assertThat(rocket.tap().coresUsed("chat")).isEqualTo(0b011);
        assertThat(busy(rocket, 2)).isZero();
        assertThat(busy(rocket, 0) + busy(rocket, 1) + busy(rocket, 2)).isLessThan(100);
        // the vendor runtime's three per-core submits run at once nearly all the time
        Tapped rknpu = run("llm-chat", Policy.RKNPU, 3);
        assertThat(rknpu.tap().maxConcurrentTasks("chat")).isEqualTo(3);
        assertThat(rknpu.tap().overlapShare("chat")).isGreaterThan(0.9);
        assertThat(num(client(rknpu, "chat"), "decode_tokens_per_s")).isGreaterThan(2 * num(client(rocket, "chat"), "decode_tokens_per_s"));
    }

    // ---- 2 ------------------------------------------------------------------------------------------

    @Test
    void lesson2_perTaskInterruptsCostLatency() {
        Tapped plain = run("vision-single", Policy.ROCKET, 2);
        Tapped chained = run("vision-single", Policy.ROCKET, 2, "rocket.hw_task_chaining=true");
        // rocket 6.18: one interrupt per task; with hardware chaining one per job
        // (tasks that finished in the last microseconds of the run have not raised theirs yet)
        double tasks = num(plain.summary(), "npu", "tasks");
        assertThat(kernel(plain, "irqs")).isBetween(0.995 * tasks, tasks);
        assertThat(kernel(chained, "irqs")).isEqualTo(kernel(chained, "jobs_completed"));
        Map<String, Object> p = client(plain, "bench"), c = client(chained, "bench");
        assertThat(num(p, "breakdown_ms", "task_overhead") - num(c, "breakdown_ms", "task_overhead")).isGreaterThan(0.2);
        assertThat(num(c, "latency_ms", "mean")).isLessThan(num(p, "latency_ms", "mean") - 0.2);
        // the proposed driver with batches of one task against its default 16: a third more
        // interrupts (most layers are three one-band tasks, one per core, so batching saves less than
        // it would on one core), and the added task overhead is the added latency
        Tapped b16 = run("vision-single", Policy.PROPOSED, 2);
        Tapped b1 = run("vision-single", Policy.PROPOSED, 2, "proposed.batch_tasks=1");
        assertThat(kernel(b1, "irqs_per_inference")).isGreaterThan(1.25 * kernel(b16, "irqs_per_inference"));
        Map<String, Object> one = client(b1, "bench"), sixteen = client(b16, "bench");
        assertThat(num(one, "latency_ms", "mean")).isGreaterThan(1.1 * num(sixteen, "latency_ms", "mean"));
        assertThat(num(one, "latency_ms", "mean") - num(sixteen, "latency_ms", "mean"))
                .isCloseTo(num(one, "breakdown_ms", "task_overhead") - num(sixteen, "breakdown_ms", "task_overhead"), within(0.02));
    }

    // ---- 3 ------------------------------------------------------------------------------------------

    @Test
    void lesson3_aMultiCoreVendorJobIdlesCores() {
        Tapped rknpu = run(DIR + "camera-and-batch.yaml", Policy.RKNPU, 4);
        // the detector's 3-core jobs wait for core 0 (the camera's): core 2 sits reserved, idle
        assertThat(load(rknpu, 2) - busy(rknpu, 2)).isGreaterThan(25);
        assertThat(busy(rknpu, 2)).isLessThan(10);
        assertThat(num(client(rknpu, "batch"), "breakdown_ms", "queued")).isGreaterThan(25);
        // without a gang start (parts go to whichever core is free) the detector runs far faster
        Tapped proposed = run(DIR + "camera-and-batch.yaml", Policy.PROPOSED, 4);
        assertThat(num(client(proposed, "batch"), "latency_ms", "mean")).isLessThan(0.75 * num(client(rknpu, "batch"), "latency_ms", "mean"));
        assertThat(num(client(proposed, "camera"), "dropped_frames")).isZero();
        // even alone, three cores give about twice one core's speed, far from three times, and every
        // core idles while reserved
        Tapped three = run(DIR + "vision-3core.yaml", Policy.RKNPU, 2);
        RunResult one = Runner.run(new RunSpec("vision-single", Policy.RKNPU, "yolov5s_relu", null, 2.0, null, null, null, List.of(), "none"));
        double oneMs = num(client(new Tapped(one, null), "bench"), "latency_ms", "mean");
        double threeMs = num(client(three, "bench"), "latency_ms", "mean");
        assertThat(oneMs / threeMs).isBetween(1.5, 2.5);
        for (int c = 0; c < 3; c++) assertThat(load(three, c) - busy(three, c)).as("core %d reserved but idle", c).isGreaterThan(1);
        assertThat(three.tap().coresPerJob("bench")).isGreaterThan(2);
    }

    // ---- 4 ------------------------------------------------------------------------------------------

    @Test
    void lesson4_implicitSyncOrdersTheJobsOfOneFile() {
        Tapped plain = run("llm-chat", Policy.ROCKET, 3);
        Tapped spread = run("llm-chat", Policy.ROCKET, 3, "rocket.multi_entity=true");
        // an entity per core spreads the file's jobs over all three cores, yet no two ever overlap:
        // every job of a matmul group writes the group's one output BO, and dma_resv orders writers
        assertThat(spread.tap().coresUsed("chat")).isEqualTo(0b111);
        assertThat(spread.tap().maxConcurrentTasks("chat")).isEqualTo(1);
        assertThat(busy(spread, 2)).isGreaterThan(5);
        // so nothing is gained, and the cross-core fence hand-offs cost job overhead
        Map<String, Object> p = client(plain, "chat"), s = client(spread, "chat");
        assertThat(num(s, "decode_tokens_per_s")).isLessThanOrEqualTo(num(p, "decode_tokens_per_s"));
        assertThat(num(s, "breakdown_ms", "job_overhead")).isGreaterThan(num(p, "breakdown_ms", "job_overhead"));
        // the vendor driver has no implicit sync: the same kind of per-core jobs on one output buffer overlap
        Tapped rknpu = run("llm-chat", Policy.RKNPU, 3);
        assertThat(rknpu.tap().maxConcurrentTasks("chat")).isEqualTo(3);
    }

    // ---- 5 ------------------------------------------------------------------------------------------

    @Test
    void lesson5_llmDecodeIsDdrBound() {
        Tapped base = run("llm-chat", Policy.RKNPU, 4);
        Map<String, Object> c = client(base, "chat");
        double tokenMs = num(c, "latency_ms", "mean");
        assertThat(num(c, "breakdown_ms", "memory_wait") / tokenMs).isGreaterThan(0.75);
        assertThat(num(c, "breakdown_ms", "npu_compute") / tokenMs).isLessThan(0.02);
        // every token streams all the weights: at least the model's parameter bytes (W8A8: one byte each)
        double paramsMb = new ModelZoo().get("qwen2.5-1.5b").params() / 1e6;
        assertThat(num(c, "ddr_mb_per_inference")).isGreaterThan(paramsMb);
        // faster DDR speeds decode up; a slower NPU clock does not, while it slows the prefill (TTFT)
        Map<String, Object> ddr = client(runHw("llm-chat", Policy.RKNPU, 4, null, "lpddr5-5500"), "chat");
        Map<String, Object> slow = client(runHw("llm-chat", Policy.RKNPU, 4, 300, null), "chat");
        double tps = num(c, "decode_tokens_per_s");
        assertThat(num(ddr, "decode_tokens_per_s")).isGreaterThan(1.10 * tps);
        assertThat(num(slow, "decode_tokens_per_s")).isGreaterThan(0.97 * tps);
        assertThat(num(slow, "ttft_ms", "mean")).isGreaterThan(1.5 * num(c, "ttft_ms", "mean"));
    }

    // ---- 6 ------------------------------------------------------------------------------------------

    @Test
    void lesson6_preemptionIsIdleNextToAChatAndDecisiveNextToLongJobs() {
        // camera-and-chat: the chat's parts are shorter than a batch, so preemption never fires
        Tapped on = run("camera-and-chat", Policy.PROPOSED, 10);
        Tapped off = run("camera-and-chat", Policy.PROPOSED, 10, "proposed.preemption=false");
        assertThat(((ProposedDevice) on.result().board().driver()).preemptions()).isZero();
        assertThat(num(client(on, "camera"), "latency_ms", "p99")).isEqualTo(num(client(off, "camera"), "latency_ms", "p99"));
        assertThat(num(client(on, "chat"), "decode_tokens_per_s")).isEqualTo(num(client(off, "chat"), "decode_tokens_per_s"));
        assertThat(num(client(on, "camera"), "dropped_frames")).isZero();
        // next to three detectors holding every core with long jobs it decides whether frames drop
        String sc = DIR + "camera-and-detectors.yaml";
        Tapped pOn = run(sc, Policy.PROPOSED, 4);
        Tapped pOff = run(sc, Policy.PROPOSED, 4, "proposed.preemption=false");
        Tapped vendor = run(sc, Policy.RKNPU, 4);
        assertThat(((ProposedDevice) pOn.result().board().driver()).preemptions()).isPositive();
        assertThat(num(client(pOn, "camera"), "dropped_frames")).isZero();
        assertThat(num(client(pOn, "camera"), "latency_ms", "p99")).isLessThan(33.3);
        assertThat(num(client(pOff, "camera"), "dropped_frames")).isGreaterThan(20);
        assertThat(num(client(pOff, "camera"), "latency_ms", "p99")).isGreaterThan(33.3);
        assertThat(num(client(vendor, "camera"), "dropped_frames")).isGreaterThan(20);
    }

    // ---- 7 ------------------------------------------------------------------------------------------

    @Test
    void lesson7_isolationNeedsADomainPerClient() {
        CrossProcessProbe.Outcome rocket = CrossProcessProbe.run(Policy.ROCKET);
        CrossProcessProbe.Outcome rknpu = CrossProcessProbe.run(Policy.RKNPU);
        CrossProcessProbe.Outcome proposed = CrossProcessProbe.run(Policy.PROPOSED);
        for (CrossProcessProbe.Outcome o : List.of(rocket, proposed)) {
            assertThat(o.faulted()).as(o.policy().key()).isTrue();
            assertThat(o.jobsErrored()).isEqualTo(1);
            assertThat(o.tasksRun()).isZero();
            assertThat(o.waitRet()).isNegative();
        }
        assertThat(rknpu.readSilently()).isTrue();
        assertThat(rknpu.foreignBytes()).isEqualTo(CrossProcessProbe.SECRET_BYTES);
        assertThat(rknpu.jobsCompleted()).isEqualTo(1);
        assertThat(rknpu.waitRet()).isZero();
        for (CrossProcessProbe.Outcome o : List.of(rocket, rknpu, proposed)) assertThat(o.failure()).isNull();
    }
}
