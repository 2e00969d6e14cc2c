package io.npusim.workloads.zoo;

import io.npusim.core.UserError;
import io.npusim.workloads.graph.Activation;
import io.npusim.workloads.graph.Graph;
import io.npusim.workloads.graph.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The named models. Specs and graphs are built on first request and cached in this instance;
 * make one zoo per simulation (or share one: it is thread-safe).
 */
public final class ModelZoo {

    /** Context length at which LLM GMACs are quoted and {@link ModelSpec#graph()} is built. */
    public static final int LLM_REFERENCE_CONTEXT = 128;

    private static final List<String> VISION = List.of("mobilenet_v1", "mobilenet_v2", "resnet50",
            "yolov5n", "yolov5s", "yolov5m", "yolov5s_relu", "yolov8n", "yolov8s", "yolov8m", "deeplabv3", "ssd_mobilenet_v1");
    private static final List<String> AUDIO = List.of("whisper_base");
    private static final List<String> NAMES;

    static {
        List<String> all = new ArrayList<>(VISION);
        all.addAll(AUDIO);
        for (LlmConfig c : LlmConfigs.ALL) {
            all.add(c.name());
        }
        NAMES = List.copyOf(all);
    }

    private final Map<String, ModelSpec> specs = new ConcurrentHashMap<>();

    /** Every model name: vision, then audio, then LLMs. */
    public List<String> names() {
        return NAMES;
    }

    public boolean contains(String name) {
        return NAMES.contains(name);
    }

    /** The model called {@code name}; a {@link UserError} listing the valid names if there is none. */
    public ModelSpec get(String name) {
        if (!contains(name)) {
            throw new UserError("unknown model '" + name + "'; valid models: " + String.join(", ", NAMES));
        }
        ModelSpec spec = specs.get(name);
        if (spec == null) {
            spec = build(name);
            ModelSpec prior = specs.putIfAbsent(name, spec);
            if (prior != null) {
                spec = prior;
            }
        }
        return spec;
    }

    private static ModelSpec build(String name) {
        if (VISION.contains(name)) {
            return vision(name, visionBuilder(name), visionDefault(name));
        }
        if (AUDIO.contains(name)) {
            WhisperConfig w = WhisperConfig.BASE_20S;
            ModelGraphs graphs = ModelGraphs.audio(w);
            double gmacs = graphs.encoder().totalMacs() / 1e9;
            String input = "1x" + w.nMels() + "x" + w.melFrames() + " fp16 log-mel (" + w.melFrames() / 100 + " s)";
            return new ModelSpec(name, ModelSpec.Kind.AUDIO, input, w.params(), gmacs, graphs);
        }
        for (LlmConfig c : LlmConfigs.ALL) {
            if (c.name().equals(name)) {
                return new ModelSpec(name, ModelSpec.Kind.LLM, LLM_REFERENCE_CONTEXT + "-token context", c.params(),
                        c.macsPerDecodedToken(LLM_REFERENCE_CONTEXT) / 1e9, ModelGraphs.llm(c));
            }
        }
        throw new IllegalStateException("model '" + name + "' is listed but has no builder");
    }

    private static Function<VisionVariant, Graph> visionBuilder(String name) {
        return switch (name) {
            case "mobilenet_v1" -> Classifiers::mobilenetV1;
            case "mobilenet_v2" -> Classifiers::mobilenetV2;
            case "resnet50" -> Classifiers::resnet50;
            case "yolov5n" -> v -> Yolo.yolov5(name, Yolo.V5N, Activation.Kind.SILU, v);
            case "yolov5s" -> v -> Yolo.yolov5(name, Yolo.V5S, Activation.Kind.SILU, v);
            case "yolov5m" -> v -> Yolo.yolov5(name, Yolo.V5M, Activation.Kind.SILU, v);
            case "yolov5s_relu" -> v -> Yolo.yolov5(name, Yolo.V5S, Activation.Kind.RELU, v);
            case "yolov8n" -> v -> Yolo.yolov8(name, Yolo.V8N, v);
            case "yolov8s" -> v -> Yolo.yolov8(name, Yolo.V8S, v);
            case "yolov8m" -> v -> Yolo.yolov8(name, Yolo.V8M, v);
            case "deeplabv3" -> DeepLabV3Plus::build;
            case "ssd_mobilenet_v1" -> SsdMobileNetV1::build;
            default -> throw new IllegalStateException("no vision builder for '" + name + "'");
        };
    }

    /** The published input size of each vision model, int8. */
    private static VisionVariant visionDefault(String name) {
        return switch (name) {
            case "mobilenet_v1", "mobilenet_v2", "resnet50" -> Classifiers.DEFAULT;
            case "deeplabv3" -> DeepLabV3Plus.DEFAULT;
            case "ssd_mobilenet_v1" -> SsdMobileNetV1.DEFAULT;
            default -> Yolo.DEFAULT;
        };
    }

    private static ModelSpec vision(String name, Function<VisionVariant, Graph> builder, VisionVariant defaults) {
        ModelGraphs graphs = ModelGraphs.vision(name, builder, defaults);
        Graph g = graphs.main();
        Tensor in = g.inputs().get(0);
        String input = in.shape() + " " + in.dtype().label();
        return new ModelSpec(name, ModelSpec.Kind.VISION, input, g.totalParams(), g.totalMacs() / 1e9, graphs);
    }
}
