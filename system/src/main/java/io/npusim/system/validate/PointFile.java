package io.npusim.system.validate;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.npusim.core.UserError;
import io.npusim.system.spec.Policy;
import io.npusim.workloads.zoo.ModelZoo;
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
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory()).enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        Doc doc;
        try {
            doc = yaml.readValue(in, Doc.class);
        } catch (JsonProcessingException e) {
            throw new UserError(describe(name, e));
        } catch (IOException e) {
            throw new UserError(name + ": " + e.getMessage());
        }
        if (doc == null) throw new UserError(name + ": empty point file");
        if (!SCHEMA.equals(doc.schema())) throw new UserError(name + ": schema: expected " + SCHEMA + ", found '" + doc.schema() + "'");
        ModelZoo zoo = new ModelZoo();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < doc.points().size(); i++) {
            ValidationPoint p = doc.points().get(i);
            String where = name + ": points[" + i + "] (" + p.id() + ")";
            if (!ids.add(p.id())) throw new UserError(where + ": id: duplicate id '" + p.id() + "'");
            if (!zoo.contains(p.model())) throw new UserError(where + ": model: unknown model '" + p.model() + "'; valid: " + String.join(", ", zoo.names()));
            try {
                Policy.parse(p.policy());
            } catch (UserError e) {
                throw new UserError(where + ": policy: " + e.getMessage());
            }
            if (!ValidationPoint.METRICS.contains(p.metric())) throw new UserError(where + ": metric: unknown metric '" + p.metric() + "'; valid: " + String.join(", ", ValidationPoint.METRICS));
            if (!(p.expected() > 0)) throw new UserError(where + ": expected: must be positive");
            if (!(p.tolerance() > 0)) throw new UserError(where + ": tolerance: must be positive");
            int mask;
            try {
                mask = p.mask();
            } catch (NumberFormatException e) {
                throw new UserError(where + ": core_mask: not a number: '" + p.coreMask() + "'");
            }
            if (mask < 0 || mask > 7) throw new UserError(where + ": core_mask: must lie in 0x0..0x7, got " + p.coreMask());
            if (p.clientCount() < 1) throw new UserError(where + ": clients: must be at least 1");
            if (p.placement() != null && !p.placement().equals("per-core") && !p.placement().equals("shared")) {
                throw new UserError(where + ": placement: must be per-core or shared, got '" + p.placement() + "'");
            }
            if (p.scope() != null && !p.scope().equals("run") && !p.scope().equals("run_and_outputs")) {
                throw new UserError(where + ": scope: must be run or run_and_outputs, got '" + p.scope() + "'");
            }
            if (p.dtype() != null && !List.of("int8", "fp16", "w8a8", "w8a8_g128").contains(p.dtype())) {
                throw new UserError(where + ": dtype: must be int8, fp16, w8a8 or w8a8_g128, got '" + p.dtype() + "'");
            }
            boolean llmMetric = p.metric().equals("ttft_ms") || p.metric().equals("decode_tokens_per_s");
            if (llmMetric && (p.promptTokens() == null || p.newTokens() == null)) {
                throw new UserError(where + ": prompt_tokens and new_tokens are needed for " + p.metric());
            }
            if (p.sramKb() != null && (p.sramKb() < 0 || p.sramKb() > 956)) throw new UserError(where + ": sram_kb: must lie in 0..956");
        }
        for (int i = 0; i < doc.points().size(); i++) {
            ValidationPoint p = doc.points().get(i);
            if (p.relativeTo() == null) continue;
            ValidationPoint ref = doc.points().stream().filter(q -> q.id().equals(p.relativeTo())).findFirst().orElse(null);
            String where = name + ": points[" + i + "] (" + p.id() + ")";
            if (ref == null) throw new UserError(where + ": relative_to: no point with id '" + p.relativeTo() + "'");
            if (!ref.metric().equals(p.metric())) throw new UserError(where + ": relative_to: point " + ref.id() + " has metric " + ref.metric() + ", not " + p.metric());
        }
        return doc.points();
    }

    static String describe(String file, JsonProcessingException e) {
        var loc = e.getLocation();
        String line = loc != null && loc.getLineNr() > 0 ? ":" + loc.getLineNr() : "";
        StringBuilder path = new StringBuilder();
        if (e instanceof JsonMappingException m) {
            for (JsonMappingException.Reference r : m.getPath()) {
                if (r.getFieldName() != null) path.append(path.length() > 0 ? "." : "").append(r.getFieldName());
                else if (r.getIndex() >= 0) path.append('[').append(r.getIndex()).append(']');
            }
        }
        String what = e instanceof UnrecognizedPropertyException u ? "unknown field '" + u.getPropertyName() + "'" : e.getOriginalMessage();
        if (what != null && what.indexOf('\n') > 0) what = what.substring(0, what.indexOf('\n'));
        if (what != null) what = what.replaceAll(" \\(class [^)]*\\)", "").replaceAll("`[a-z.]+\\.([A-Za-z$]+)`", "$1");
        return file + line + ": " + (path.length() > 0 ? path + ": " : "") + what;
    }
}
