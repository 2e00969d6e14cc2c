package io.npusim.system.board;

import io.npusim.core.UserError;
import io.npusim.core.event.Simulator;
import io.npusim.core.random.RngStreams;
import io.npusim.core.time.Time;
import io.npusim.core.trace.TraceSink;
import io.npusim.hw.Rk3588;
import io.npusim.hw.config.ParamTable;
import io.npusim.kernel.cost.KernelCosts;
import io.npusim.kernel.os.Kernel;
import io.npusim.kernel.os.SimProcess;
import io.npusim.kernel.os.SimThread;
import io.npusim.kernel.rknpu.RknpuDevice;
import io.npusim.kernel.rknpu.RknpuParams;
import io.npusim.system.spec.Policy;
import io.npusim.system.spec.RunSpec;
import io.npusim.workloads.arrival.Client;
import io.npusim.workloads.arrival.VisionClient;
import io.npusim.workloads.compile.Program;
import io.npusim.workloads.compile.RknnCompiler;
import io.npusim.workloads.runtime.VisionRuntime;
import io.npusim.workloads.runtime.rknn.RknnRuntime;
import io.npusim.workloads.scenario.Arrival;
import io.npusim.workloads.scenario.ClientSpec;
import io.npusim.workloads.scenario.Scenario;
import io.npusim.workloads.zoo.ModelSpec;
import io.npusim.workloads.zoo.ModelZoo;
import java.util.ArrayList;
import java.util.List;

/**
 * One board put together for a run: the only place that knows both the kernel and the workloads.
 * Hardware from the configuration, the policy's driver behind its device node, one process per
 * client with the runtime the policy picks, all on one simulator.
 */
public final class Board {
    private final RunSpec spec;
    private final Scenario scenario;
    private final ParamTable params;
    private final Simulator sim;
    private final Rk3588 hw;
    private final Kernel kernel;
    private final TaskLog taskLog = new TaskLog();
    private final List<Client> clients = new ArrayList<>();
    private final long durationPs;
    private final long seed;
    private RknpuDevice rknpu;
    private io.npusim.kernel.os.NpuDriver driver;
    private final Options options;
    private io.npusim.traces.record.UapiRecorder recorder;

    /** Replaces the scenario's clients (trace replay): builds them on this board's kernel. */
    @FunctionalInterface
    public interface ClientSource {
        List<Client> build(Board board);
    }

    /** Recording at the UAPI boundary (npusim run --record). */
    public interface Recording {
        /** Once the kernel and the driver exist: the recorder every runtime's calls go through. */
        io.npusim.traces.record.UapiRecorder open(Board board);

        /** Once the clients exist: describe processes, threads and clients, hook the clients. */
        void attach(Board board);
    }

    /** What a board may get besides its spec and scenario; null parts are not used. */
    public record Options(Recording recording, ClientSource clients) {
        public static final Options NONE = new Options(null, null);
    }

    public Board(RunSpec spec, Scenario scenario, TraceSink trace) {
        this(spec, scenario, trace, Options.NONE);
    }

    public Board(RunSpec spec, Scenario scenario, TraceSink trace, Options options) {
        this.options = options;
        this.spec = spec;
        this.scenario = applyModel(scenario, spec.model());
        this.params = Configs.resolve(spec, this.scenario);
        this.seed = spec.seed() != null ? spec.seed() : this.scenario.seedOrDefault();
        double dur = spec.durationS() != null ? spec.durationS() : this.scenario.duration();
        if (!(dur > 0)) throw new UserError("--duration must be positive, got " + dur);
        this.durationPs = Time.fromSeconds(dur);
        this.sim = new Simulator();
        Rk3588.IommuTopology topo = spec.policy() == Policy.RKNPU ? Rk3588.IommuTopology.SHARED : Rk3588.IommuTopology.PER_CORE;
        this.hw = new Rk3588(sim, params, topo, trace);
        for (int i = 0; i < hw.coreCount(); i++) hw.core(i).setObserver(taskLog);
        this.kernel = new Kernel(sim, hw, KernelCosts.from(params), trace);
        switch (spec.policy()) {
            case RKNPU -> {
                rknpu = new RknpuDevice(kernel, RknpuParams.from(params));
                driver = rknpu;
            }
            case ROCKET -> driver = new io.npusim.kernel.rocket.RocketDevice(kernel, io.npusim.kernel.rocket.RocketParams.from(params));
            case PROPOSED -> driver = new io.npusim.kernel.proposed.ProposedDevice(kernel, io.npusim.kernel.proposed.ProposedParams.from(params));
        }
        kernel.register(driver);
        if (options.recording() != null) recorder = options.recording().open(this);
        if (options.clients() != null) clients.addAll(options.clients().build(this));
        else buildClients();
        if (options.recording() != null) options.recording().attach(this);
        if (trace.enabled()) {
            for (Client c : clients) {
                int track = trace.track("client " + c.name(), "requests");
                String unit = switch (c.stats().kind()) {
                    case "llm" -> "token";
                    case "audio" -> "window";
                    default -> "inference";
                };
                c.stats().setListener((start, lat, parts) -> {
                    java.util.List<Object> kv = new ArrayList<>();
                    for (io.npusim.core.account.Part p : io.npusim.core.account.Part.ALL) {
                        kv.add(p.key() + "_ms");
                        kv.add(Math.round(parts[p.ordinal()] / 1e5) / 1e4);
                    }
                    trace.slice(track, "request", unit, start, lat,
                            io.npusim.core.trace.TraceArgs.of(kv.toArray()));
                });
            }
            new io.npusim.hw.HwSampler(sim, hw, trace, Time.ms(1)).start();
        }
    }

    private static Scenario applyModel(Scenario s, String model) {
        if (model == null) return s;
        List<ClientSpec> c = new ArrayList<>();
        for (ClientSpec cs : s.clients()) c.add(cs.withModel(model));
        return s.withClients(c);
    }

    private void buildClients() {
        ModelZoo zoo = new ModelZoo();
        RngStreams rng = new RngStreams(seed);
        for (ClientSpec cs : scenario.clients()) {
            ModelSpec model;
            try {
                model = zoo.get(cs.model());
            } catch (UserError e) {
                throw new UserError("scenario " + scenario.name() + ": client " + cs.name() + ": " + e.getMessage());
            }
            String problem = io.npusim.workloads.scenario.ClientRules.problem(model, cs.dtype(), cs.input(), cs.mask(), cs.placement());
            if (problem != null) throw new UserError("scenario " + scenario.name() + ": client " + cs.name() + ": " + problem);
            for (int r = 0; r < cs.count(); r++) {
                String name = cs.count() > 1 ? cs.name() + "-" + r : cs.name();
                int mask = cs.mask();
                if (cs.count() > 1 && "per-core".equals(cs.placement())) mask = 1 << (r % 3);
                SimProcess proc = kernel.spawn(name, hw.cpus().bigCpus());
                SimThread thread = proc.newThread("main");
                clients.add(switch (model.kind()) {
                    case LLM -> llmClient(name, cs, model, proc, thread, rng);
                    case AUDIO -> audioClient(name, cs, model, mask, thread);
                    case VISION -> client(name, cs, model, mask, thread, rng);
                });
            }
        }
    }

    private Client client(String name, ClientSpec cs, ModelSpec model, int mask, SimThread thread, RngStreams rng) {
        if (model.kind() != ModelSpec.Kind.VISION) {
            throw new UserError("client " + cs.name() + ": model " + model.name() + " (" + model.kind().name().toLowerCase() + ") has no runtime yet under " + spec.policy().key());
        }
        double deadlineMs = cs.arrival() instanceof Arrival.Camera cam ? cam.deadline() : 0;
        VisionRuntime rt = graphRuntime(name, model.graph(cs.input(), cs.dtype()), mask, thread, contextClass(cs, deadlineMs > 0), deadlineMs);
        VisionClient.Pattern pattern;
        VisionClient.Scope scope;
        if (cs.arrival() instanceof Arrival.Camera cam) {
            pattern = VisionClient.Pattern.camera(cam.fps(), cam.jitter(), cam.deadline(), cam.drop());
            scope = VisionClient.Scope.FRAME;
        } else if (cs.arrival() instanceof Arrival.ClosedLoop cl) {
            pattern = VisionClient.Pattern.closedLoop(Time.fromMs(cl.think()));
            scope = VisionClient.Scope.RUN;
        } else {
            throw new UserError("client " + cs.name() + ": a vision model needs a camera or closed_loop arrival");
        }
        if (cs.scope() != null) {
            scope = switch (cs.scope()) {
                case "run" -> VisionClient.Scope.RUN;
                case "run_and_outputs" -> VisionClient.Scope.RUN_AND_OUTPUTS;
                case "frame" -> VisionClient.Scope.FRAME;
                default -> throw new UserError("client " + cs.name() + ": scope must be run, run_and_outputs or frame, got '" + cs.scope() + "'");
            };
        }
        return new VisionClient(name, "vision", model.name(), view(thread), rt, pattern, scope, rng.stream("client/" + name + "/arrivals"));
    }

    /**
     * The runtime the policy uses for one graph (a vision model, or one part of an audio model):
     * under rocket, TFLite with the Teflon delegate (which delegates only 8-bit convolutions, so an
     * FP16 graph runs wholly on the CPU, rocket-upstream.md 4.2); under rknpu, an RKNN context
     * compiled for the core mask, with SRAM for its internal buffer when the board has some.
     */
    private VisionRuntime graphRuntime(String name, io.npusim.workloads.graph.Graph graph, int mask, SimThread thread, int cls, double deadlineMs) {
        if (spec.policy() == Policy.ROCKET) {
            var compiled = new io.npusim.workloads.compile.TeflonCompiler(hw.npuParams(), params).compile(graph);
            return new io.npusim.workloads.runtime.teflon.TeflonRuntime(name, sys(), view(thread), compiled, params);
        }
        RknnCompiler compiler = new RknnCompiler(hw.npuParams(), params);
        boolean sram = hw.mem().sramCapacity() > 0;
        if (spec.policy() == Policy.PROPOSED) {
            // the same lowering compiled for one core and for three: the job carries both variants
            Program one = compiler.compile(graph, new RknnCompiler.Options(0x1, sram));
            Program three = compiler.compile(graph, new RknnCompiler.Options(0x7, sram));
            long deadlineNs = cls == io.npusim.uapi.proposed.NpuIoctl.CLASS_LATENCY ? (long) (deadlineMs * 1e6) : 0;
            return new io.npusim.workloads.runtime.proposed.ProposedVisionRuntime(name, sys(), view(thread), one, three, cls, deadlineNs, params);
        }
        Program program = compiler.compile(graph, new RknnCompiler.Options(mask, sram));
        return new RknnRuntime(name, sys(), view(thread), program, mask, params);
    }

    /**
     * A speech-recognition client: the encoder and the decoder as two contexts of the policy's
     * runtime in one process (rknn_model_zoo's whisper demo loads two .rknn files), the decoder
     * compiled at the window's last context length.
     */
    private Client audioClient(String name, ClientSpec cs, ModelSpec model, int mask, SimThread thread) {
        if (!(cs.arrival() instanceof Arrival.Audio audio)) {
            throw new UserError("client " + cs.name() + ": an audio model needs an audio arrival (window_s, period_s, tokens_per_window)");
        }
        io.npusim.workloads.zoo.WhisperConfig w = model.whisper();
        if (audio.windowS() > w.windowS()) {
            throw new UserError("client " + cs.name() + ": window_s " + audio.windowS() + " is longer than " + model.name()
                    + "'s " + w.windowS() + " s window");
        }
        int tokens = audio.tokens(params.positive("audio.speech_tokens_per_s", "tokens/s"));
        if (tokens > w.nTextCtx()) {
            throw new UserError("client " + cs.name() + ": tokens_per_window " + tokens + " exceeds " + model.name() + "'s "
                    + w.nTextCtx() + "-token decoder context");
        }
        int cls = contextClass(cs, true);
        VisionRuntime encoder = graphRuntime(name + ".encoder", model.encoder(), mask, thread, cls, 0);
        VisionRuntime decoder = graphRuntime(name + ".decoder", model.decodeStep(tokens), mask, thread, cls, 0);
        return new io.npusim.workloads.arrival.AudioClient(name, model.name(), view(thread), encoder, decoder,
                io.npusim.workloads.arrival.AudioClient.Pattern.of(audio.periodS(), audio.deadline(), audio.drop(), tokens));
    }

    /**
     * The scheduling class of a client's context under a policy with classes: the scenario's
     * {@code class}, else latency for clients with deadlines (cameras, audio windows) and
     * throughput for the rest.
     */
    private static int contextClass(ClientSpec cs, boolean hasDeadline) {
        String k = cs.klass();
        if (k == null) return hasDeadline ? io.npusim.uapi.proposed.NpuIoctl.CLASS_LATENCY : io.npusim.uapi.proposed.NpuIoctl.CLASS_THROUGHPUT;
        return switch (k) {
            case "latency" -> io.npusim.uapi.proposed.NpuIoctl.CLASS_LATENCY;
            case "throughput" -> io.npusim.uapi.proposed.NpuIoctl.CLASS_THROUGHPUT;
            case "background" -> io.npusim.uapi.proposed.NpuIoctl.CLASS_BACKGROUND;
            default -> throw new UserError("client " + cs.name() + ": class must be latency, throughput or background, got '" + k + "'");
        };
    }

    /** Positions an LLM runtime is built for (assumed: RKLLM fixes max_context_len at export; no stock value is published). */
    public static final int LLM_MAX_CONTEXT_TOKENS = 4096;

    private Client llmClient(String name, ClientSpec cs, ModelSpec model, SimProcess proc, SimThread thread, RngStreams rng) {
        if (!(cs.arrival() instanceof Arrival.Chat chat)) {
            throw new UserError("client " + cs.name() + ": an LLM needs a chat arrival (prompt_tokens, answer_tokens, think_s)");
        }
        boolean g128 = "w8a8_g128".equals(cs.dtype()); // ClientRules admitted w8a8 (the default) or w8a8_g128
        io.npusim.workloads.runtime.LlmRuntime rt = switch (spec.policy()) {
            case ROCKET -> new io.npusim.workloads.runtime.rocketllm.RocketLlmRuntime(name, env(proc, thread), model.llm(), g128, params);
            case PROPOSED -> new io.npusim.workloads.runtime.proposed.ProposedLlmRuntime(name, env(proc, thread), model.llm(), g128,
                    contextClass(cs, false), params);
            case RKNPU -> new io.npusim.workloads.runtime.rkllm.RkllmRuntime(name, env(proc, thread), model.llm(), g128, params);
        };
        return new io.npusim.workloads.arrival.ChatClient(name, model.name(), view(thread), rt, chat.promptTokens(), chat.answerTokens(),
                Time.fromSeconds(chat.think()), LLM_MAX_CONTEXT_TOKENS, rng.stream("client/" + name + "/turns"));
    }

    /** The system calls runtimes go through: the kernel, or the recorder around it. */
    public io.npusim.uapi.os.Syscalls sys() {
        return recorder == null ? kernel : recorder.syscalls();
    }

    /** A thread as its runtime sees it (recorded when recording). */
    public io.npusim.uapi.os.UserThread view(SimThread t) {
        return recorder == null ? t : recorder.thread(t);
    }

    /** A process as its runtime sees it (recorded when recording). */
    public io.npusim.uapi.os.ProcessEnv env(SimProcess p, SimThread main) {
        return recorder == null ? p.env(main) : recorder.env(p.env(main));
    }

    /** The recorder at the UAPI boundary, or null. */
    public io.npusim.traces.record.UapiRecorder recorder() {
        return recorder;
    }

    /** Runs the scenario to its end. */
    public void run() {
        run(f -> { });
    }

    /**
     * Runs the scenario to its end in steps of a hundredth of the simulated time, reporting the
     * fraction done after each (for a progress bar; the event order does not depend on the steps).
     */
    public void run(java.util.function.DoubleConsumer progress) {
        for (Client c : clients) c.start(durationPs);
        final int steps = 100;
        for (int i = 1; i <= steps; i++) {
            sim.runUntil(durationPs / steps * i + (i == steps ? durationPs % steps : 0));
            progress.accept(i / (double) steps);
        }
        hw.fabric().sync();
        for (int i = 0; i < hw.coreCount(); i++) hw.core(i).endOfRun();
    }

    public RunSpec spec() {
        return spec;
    }

    public Scenario scenario() {
        return scenario;
    }

    public ParamTable params() {
        return params;
    }

    public Simulator sim() {
        return sim;
    }

    public Rk3588 hw() {
        return hw;
    }

    public Kernel kernel() {
        return kernel;
    }

    public TaskLog taskLog() {
        return taskLog;
    }

    public List<Client> clients() {
        return List.copyOf(clients);
    }

    public long durationPs() {
        return durationPs;
    }

    public long seed() {
        return seed;
    }

    /** The policy's driver. */
    public io.npusim.kernel.os.NpuDriver driver() {
        return driver;
    }

    /** The vendor driver when the policy is rknpu, else null. */
    public RknpuDevice rknpu() {
        return rknpu;
    }
}
