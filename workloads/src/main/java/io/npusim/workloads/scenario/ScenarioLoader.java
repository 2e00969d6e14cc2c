package io.npusim.workloads.scenario;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.npusim.core.UserError;
import io.npusim.workloads.yaml.YamlLines;
import io.npusim.workloads.zoo.ModelZoo;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads scenarios: built-ins by name from the classpath ({@code scenarios/NAME.yaml}) or a YAML
 * file by path. Mistakes are reported as one line with file, line and key.
 */
public final class ScenarioLoader {
    /** The built-in scenarios, in the order {@code npusim scenarios} lists them. */
    public static final List<String> BUILT_INS = List.of("camera-and-chat", "vision-single", "llm-chat",
            "multi-camera", "contention-pinned", "audio-and-chat");

    private final ModelZoo zoo = new ModelZoo();
    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT) // 64.5 pixels or 2.7 replicas is a mistake, not a rounding
            .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION); // a key written twice would keep the last

    /** A built-in name or a path to a YAML file. */
    public Scenario load(String nameOrPath) {
        if (BUILT_INS.contains(nameOrPath)) return builtIn(nameOrPath);
        Path p = Path.of(nameOrPath);
        if (nameOrPath.endsWith(".yaml") || nameOrPath.endsWith(".yml") || Files.exists(p)) {
            if (!Files.isRegularFile(p)) throw new UserError("scenario file " + nameOrPath + " does not exist");
            try (InputStream in = Files.newInputStream(p)) {
                return parse(in, nameOrPath);
            } catch (IOException e) {
                throw new UserError("cannot read scenario file " + nameOrPath + ": " + e.getMessage());
            }
        }
        throw new UserError("unknown scenario '" + nameOrPath + "'; built-in scenarios: " + String.join(", ", BUILT_INS)
                + " (or give a path to a .yaml file)");
    }

    public Scenario builtIn(String name) {
        String res = "scenarios/" + name + ".yaml";
        try (InputStream in = ScenarioLoader.class.getClassLoader().getResourceAsStream(res)) {
            if (in == null) throw new IllegalStateException("built-in scenario missing from the build: " + res);
            return parse(in, res);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + res, e);
        }
    }

    public Scenario parse(InputStream in, String file) {
        YamlLines lines = YamlLines.none();
        try {
            byte[] bytes = in.readAllBytes();
            lines = YamlLines.index(yaml, bytes);
            if (lines.isEmpty()) throw new UserError(file + ": empty scenario");
            if (lines.documents() > 1) throw new UserError(file + ": more than one YAML document (---); a scenario is one");
            Scenario s = yaml.readValue(bytes, Scenario.class);
            if (s == null) throw new UserError(file + ": empty scenario");
            if (s.clients().isEmpty()) throw new UserError(file + ": clients: at least one client is needed");
            if (s.duration() <= 0) throw new UserError(file + ": duration_s must be positive");
            List<String> names = new ArrayList<>();
            for (int i = 0; i < s.clients().size(); i++) {
                ClientSpec c = s.clients().get(i);
                checkModel(file, lines, i, c);
                if (names.contains(c.name())) throw new UserError(file + ": clients: duplicate client name '" + c.name() + "'");
                names.add(c.name());
                if (c.count() < 1) throw new UserError(file + ": clients." + c.name() + ".replicas must be at least 1");
                if (c.mask() < 0 || c.mask() > 0x7) throw new UserError(file + ": clients." + c.name() + ".core_mask must lie in 0x0..0x7, got 0x" + Integer.toHexString(c.mask()));
                if (c.placement() != null && !c.placement().equals("per-core") && !c.placement().equals("shared")) {
                    throw new UserError(file + ": clients." + c.name() + ".placement must be per-core or shared, got '" + c.placement() + "'");
                }
            }
            return s;
        } catch (JsonProcessingException e) {
            throw new UserError(describe(file, e, lines));
        } catch (IOException e) {
            throw new UserError(file + ": " + e.getMessage());
        }
    }

    /**
     * The client's model exists and the client asks of it only what {@link ClientRules} allows, so
     * the mistake is reported against the file's line rather than when the board is built.
     */
    private void checkModel(String file, YamlLines lines, int i, ClientSpec c) {
        String at = "/clients/" + i;
        if (c.model() == null || !zoo.contains(c.model())) {
            Integer line = lines.line(at + "/model");
            throw new UserError(file + (line != null ? ":" + line : "") + ": clients[" + i + "].model: unknown model '" + c.model()
                    + "'; valid: " + String.join(", ", zoo.names()));
        }
        String problem = ClientRules.problem(zoo.get(c.model()), c.dtype(), c.input(), c.mask(), c.placement());
        if (problem != null) {
            Integer line = lines.line(at + "/" + problem.substring(0, problem.indexOf(':')));
            throw new UserError(file + (line != null ? ":" + line : "") + ": clients[" + i + "]." + problem);
        }
    }

    static String describe(String file, JsonProcessingException e, YamlLines lines) {
        String key = e instanceof JsonMappingException m && !m.getPath().isEmpty() ? YamlLines.dotted(m) + ": " : "";
        String what;
        if (e instanceof UnrecognizedPropertyException u) {
            what = "unknown key '" + u.getPropertyName() + "'" + (u.getKnownPropertyIds() != null && !u.getKnownPropertyIds().isEmpty()
                    ? " (known: " + String.join(", ", u.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList()) + ")" : "");
        } else if (e instanceof InvalidTypeIdException t) {
            what = "unknown type '" + t.getTypeId() + "' (known: closed_loop, camera, chat, audio)";
        } else {
            what = YamlLines.message(e, "key");
            if (e.getCause() instanceof IllegalArgumentException iae) what = iae.getMessage();
        }
        return file + lines.suffix(e) + ": " + key + what;
    }
}
