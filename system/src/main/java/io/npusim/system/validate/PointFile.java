package io.npusim.system.validate;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.npusim.core.UserError;
import io.npusim.hw.clock.NpuClock;
import io.npusim.hw.config.ParamTable;
import io.npusim.system.board.Board;
import io.npusim.system.board.Configs;
import io.npusim.system.spec.Policy;
import io.npusim.workloads.scenario.ClientRules;
import io.npusim.workloads.zoo.ModelSpec;
import io.npusim.workloads.zoo.ModelZoo;
import io.npusim.workloads.yaml.YamlLines;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Reads and checks a point file; every mistake names the file, the line (when known) and the field. */
public final class PointFile {
    public static final String SCHEMA = "npusim-validation/1";

    record Doc(@JsonProperty(value = "schema", required = true) String schema,
               @JsonProperty(value = "points", required = true) List<ValidationPoint> points) {}

    /** The core masks the format allows (shared/validation/README.md), which are those rknpu_job_commit starts. */
    private static final Set<Integer> MASKS = Set.of(0x0, 0x1, 0x2, 0x4, 0x3, 0x7);

    private PointFile() {}

    public static List<ValidationPoint> read(Path file) {
        if (!Files.isRegularFile(file)) throw new UserError("point file " + file + " does not exist");
        try (InputStream in = Files.newInputStream(file)) {
            return parse(in, file.toString());
        } catch (IOException e) {
            throw new UserError("cannot read point file " + file + ": " + e.getMessage());
        }
    }

    public static List<ValidationPoint> parse(InputStream in, String name) {
        byte[] bytes;
        try {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new UserError(name + ": " + e.getMessage());
        }
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory()).enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT) // 2.7 clients is a mistake, not 2
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION); // a field written twice would silently keep the last
        YamlLines lines = YamlLines.none();
        Doc doc;
        try {
            lines = YamlLines.index(yaml, bytes);
            if (lines.isEmpty()) throw new UserError(name + ": empty point file");
            if (lines.documents() > 1) throw new UserError(name + ": more than one YAML document (---); put every point in one");
            doc = yaml.readValue(bytes, Doc.class);
        } catch (JsonProcessingException e) {
            throw new UserError(describe(name, e, lines));
        } catch (IOException e) {
            throw new UserError(name + ": " + e.getMessage());
        }
        if (doc == null) throw new UserError(name + ": empty point file");
        if (!SCHEMA.equals(doc.schema())) throw new UserError(name + at(lines, "/schema") + ": schema: expected " + SCHEMA + ", found '" + doc.schema() + "'");
        if (doc.points() == null || doc.points().isEmpty()) throw new UserError(name + at(lines, "/points") + ": points: the file has no points");
        Checker check = new Checker();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < doc.points().size(); i++) {
            ValidationPoint p = doc.points().get(i);
            String ptr = "/points/" + i;
            if (p == null) throw new UserError(name + at(lines, ptr) + ": points[" + i + "]: empty point");
            String where = "points[" + i + "] (" + p.id() + ")";
            String problem = check.problem(p, ids);
            if (problem != null) {
                int colon = problem.indexOf(':');
                String field = problem.substring(0, colon);
                throw new UserError(name + at(lines, ptr + "/" + field) + ": " + where + ": " + problem);
            }
        }
        for (int i = 0; i < doc.points().size(); i++) {
            ValidationPoint p = doc.points().get(i);
            if (p.relativeTo() == null) continue;
            ValidationPoint ref = doc.points().stream().filter(q -> q.id().equals(p.relativeTo())).findFirst().orElse(null);
            String where = name + at(lines, "/points/" + i + "/relative_to") + ": points[" + i + "] (" + p.id() + ")";
            if (ref == p) throw new UserError(where + ": relative_to: names the point itself; give another point's id");
            if (ref == null) throw new UserError(where + ": relative_to: no point with id '" + p.relativeTo() + "'");
            if (!ref.metric().equals(p.metric())) throw new UserError(where + ": relative_to: point " + ref.id() + " has metric " + ref.metric() + ", not " + p.metric());
        }
        return doc.points();
    }

    /** ":line" of the node at a JSON pointer (or its nearest written ancestor), or nothing when it is not known. */
    private static String at(YamlLines lines, String pointer) {
        Integer line = lines.line(pointer);
        return line != null ? ":" + line : "";
    }

    /**
     * The checks of one point that need more than its types: names that must exist, values that
     * must lie in range, and fields that apply only to some kinds of model. A problem is returned as
     * "field: what is wrong".
     */
    private static final class Checker {
        private final ModelZoo zoo = new ModelZoo();
        private final ParamTable hw = Configs.defaults();
        private final NpuClock clock = new NpuClock(hw);

        String problem(ValidationPoint p, Set<String> ids) {
            // required means present and not empty: `policy:` alone reads as null
            if (blank(p.id())) return "id: must not be empty";
            if (blank(p.source())) return "source: must not be empty";
            if (blank(p.model())) return "model: must not be empty";
            if (blank(p.policy())) return "policy: must not be empty";
            if (blank(p.metric())) return "metric: must not be empty";
            if (!ids.add(p.id())) return "id: duplicate id '" + p.id() + "'";
            if (!zoo.contains(p.model())) return "model: unknown model '" + p.model() + "'; valid: " + String.join(", ", zoo.names());
            try {
                Policy.parse(p.policy());
            } catch (UserError e) {
                return "policy: " + e.getMessage();
            }
            if (!ValidationPoint.METRICS.contains(p.metric())) return "metric: unknown metric '" + p.metric() + "'; valid: " + String.join(", ", ValidationPoint.METRICS);
            if (!(p.expected() > 0) || Double.isInfinite(p.expected())) return "expected: must be a positive number";
            if (!(p.tolerance() > 0) || Double.isInfinite(p.tolerance())) return "tolerance: must be a positive number";
            int mask;
            try {
                mask = p.mask();
            } catch (NumberFormatException e) {
                return "core_mask: not an integer: '" + p.coreMask() + "'";
            }
            if (!MASKS.contains(mask)) {
                // rknpu_job_commit handles exactly these; a job on 0x5 or 0x6 is queued and never started (rknpu-vendor-and-hw.md 2.4)
                return "core_mask: must be 0x0 (AUTO), 0x1, 0x2, 0x4, 0x3 or 0x7, got 0x" + Integer.toHexString(mask);
            }
            if (p.clientCount() < 1) return "clients: must be at least 1";
            if (p.placement() != null && !p.placement().equals("per-core") && !p.placement().equals("shared")) {
                return "placement: must be per-core or shared, got '" + p.placement() + "'";
            }
            if (p.npuMhz() != null && !clock.isValid(p.npuMhz())) return "npu_mhz: " + p.npuMhz() + " is not a rate of the NPU; valid: " + clock.validRates();
            if (p.ddr() != null && !hw.children("ddr.presets").contains(p.ddr())) {
                return "ddr: unknown preset '" + p.ddr() + "'; valid: " + String.join(", ", hw.children("ddr.presets"));
            }
            if (p.sramKb() != null && (p.sramKb() < 0 || p.sramKb() > 956)) return "sram_kb: must lie in 0..956";
            if (p.dtype() != null && !List.of("int8", "fp16", "w8a8", "w8a8_g128").contains(p.dtype())) {
                return "dtype: must be int8, fp16, w8a8 or w8a8_g128, got '" + p.dtype() + "'";
            }
            return kindProblem(p, zoo.get(p.model()));
        }

        private static boolean blank(String s) {
            return s == null || s.isBlank();
        }

        /** Fields and metrics that apply to vision, audio or LLM models only. */
        private String kindProblem(ValidationPoint p, ModelSpec m) {
            String kind = switch (m.kind()) {
                case VISION -> "a vision";
                case AUDIO -> "an audio";
                case LLM -> "an LLM";
            };
            boolean llmMetric = p.metric().equals("ttft_ms") || p.metric().equals("decode_tokens_per_s");
            if (llmMetric && m.kind() != ModelSpec.Kind.LLM) return "metric: " + p.metric() + " needs an LLM; " + p.model() + " is " + kind + " model";
            if (p.scope() != null && m.kind() != ModelSpec.Kind.VISION) return "scope: applies to vision models; " + p.model() + " is " + kind + " model";
            if (p.scope() != null && !p.scope().equals("run") && !p.scope().equals("run_and_outputs")) {
                return "scope: must be run or run_and_outputs, got '" + p.scope() + "'";
            }
            String client = ClientRules.problem(m, p.dtype(), p.input(), p.mask(), p.placement());
            if (client != null) return client;
            switch (m.kind()) {
                case VISION -> {
                    if (p.promptTokens() != null || p.newTokens() != null) return (p.promptTokens() != null ? "prompt_tokens" : "new_tokens") + ": applies to LLM and audio models";
                }
                case AUDIO -> {
                    if (p.promptTokens() != null) return "prompt_tokens: an audio model's prompt is its window; set new_tokens for the decoder steps";
                    if (p.newTokens() != null && (p.newTokens() < 1 || p.newTokens() > m.whisper().nTextCtx())) {
                        return "new_tokens: must lie in 1.." + m.whisper().nTextCtx() + " (the decoder's context)";
                    }
                }
                case LLM -> {
                    if (p.promptTokens() == null) return "prompt_tokens: needed for an LLM point";
                    if (p.newTokens() == null) return "new_tokens: needed for an LLM point";
                    if (p.promptTokens() < 1) return "prompt_tokens: must be at least 1";
                    if (p.newTokens() < 1) return "new_tokens: must be at least 1";
                    // the prompt yields the first token; every later metric needs decoded tokens after it
                    int needed = p.metric().equals("ttft_ms") ? 1 : p.metric().equals("ddr_mb_per_inference") ? 3 : 2;
                    if (p.newTokens() < needed) return "new_tokens: " + p.metric() + " needs at least " + needed + " (the first token comes from the prompt)";
                    if ((long) p.promptTokens() + p.newTokens() > Board.LLM_MAX_CONTEXT_TOKENS) {
                        return "new_tokens: prompt and answer (" + ((long) p.promptTokens() + p.newTokens()) + " tokens) exceed the runtimes' "
                                + Board.LLM_MAX_CONTEXT_TOKENS + "-token context";
                    }
                }
            }
            return null;
        }
    }

    /** A Jackson error as "file:line: path: what", the line being the one of the node it is about. */
    static String describe(String file, JsonProcessingException e, YamlLines lines) {
        String path = e instanceof JsonMappingException m ? YamlLines.dotted(m) : "";
        String what = e instanceof UnrecognizedPropertyException u ? "unknown field '" + u.getPropertyName() + "'" : YamlLines.message(e, "field");
        return file + lines.suffix(e) + ": " + (path.isEmpty() ? "" : path + ": ") + what;
    }
}
