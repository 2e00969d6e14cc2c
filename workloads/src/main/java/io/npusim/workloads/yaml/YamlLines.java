package io.npusim.workloads.yaml;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The line where each node of a YAML document starts, by JSON pointer ({@code /points/3/core_mask}),
 * so that an error names the line of the key it is about. Jackson reports a mapping error where its
 * parser stopped, which is often the line after the key.
 */
public final class YamlLines {
    private final Map<String, Integer> lines;
    private final int documents;

    private YamlLines(Map<String, Integer> lines, int documents) {
        this.lines = lines;
        this.documents = documents;
    }

    /** Nothing known: every lookup falls back to Jackson's own location. */
    public static YamlLines none() {
        return new YamlLines(Map.of(), 0);
    }

    /** No node at all: an empty file, or only comments. */
    public boolean isEmpty() {
        return documents == 0;
    }

    /** YAML documents in the file (separated by ---); a reader that maps one would drop the rest. */
    public int documents() {
        return documents;
    }

    /** Indexes {@code bytes}; a syntax error surfaces here as Jackson's exception, with its location. */
    public static YamlLines index(ObjectMapper yaml, byte[] bytes) throws IOException {
        Map<String, Integer> lines = new HashMap<>();
        int documents = 0;
        int depth = 0;
        try (JsonParser parser = yaml.getFactory().createParser(bytes)) {
            JsonToken t;
            while ((t = parser.nextToken()) != null) {
                if (depth == 0 && !t.isStructEnd()) documents++; // a value at the top: one document each
                if (t.isStructStart()) depth++;
                if (t.isStructEnd()) depth--;
                lines.putIfAbsent(parser.getParsingContext().pathAsPointer().toString(), parser.currentTokenLocation().getLineNr());
            }
        }
        return new YamlLines(lines, documents);
    }

    /** The line of the node at {@code pointer}, or of its nearest ancestor that is written (a missing key's parent); null if none. */
    public Integer line(String pointer) {
        String p = pointer;
        while (!p.isEmpty() && !lines.containsKey(p)) p = p.substring(0, p.lastIndexOf('/'));
        return p.isEmpty() ? null : lines.get(p);
    }

    /** ":line" for the error: its node's line when the error has a path, else where the parser stopped; "" if unknown. */
    public String suffix(JsonProcessingException e) {
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            Integer known = line(pointer(m));
            if (known != null) return ":" + known;
        }
        var loc = e.getLocation();
        return loc != null && loc.getLineNr() > 0 ? ":" + loc.getLineNr() : "";
    }

    /** The error's path as a JSON pointer ("/clients/0/colour"). */
    public static String pointer(JsonMappingException m) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : m.getPath()) {
            if (r.getFieldName() != null) sb.append('/').append(r.getFieldName());
            else if (r.getIndex() >= 0) sb.append('/').append(r.getIndex());
        }
        return sb.toString();
    }

    /** The error's path as written in messages ("clients[0].colour"). */
    public static String dotted(JsonMappingException m) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : m.getPath()) {
            if (r.getFieldName() != null) sb.append(sb.length() > 0 ? "." : "").append(r.getFieldName());
            else if (r.getIndex() >= 0) sb.append('[').append(r.getIndex()).append(']');
        }
        return sb.toString();
    }

    /** Jackson's message on one line, without class names; {@code noun} is what the file's format calls a key ("key", "field"). */
    public static String message(JsonProcessingException e, String noun) {
        String what = e.getOriginalMessage();
        if (what == null) return null;
        int nl = what.indexOf('\n');
        if (nl > 0) what = what.substring(0, nl);
        what = what.replaceAll(" \\(class [^)]*\\)", "").replaceAll("`[a-z.]+\\.([A-Za-z$]+)`", "$1");
        // Jackson's advice on its own settings means nothing to the file's author
        what = what.replaceAll(" \\((but could if|set DeserializationConfig)[^)]*\\)+", "");
        if (what.startsWith("Missing required creator property")) {
            what = what.replaceAll("Missing required creator property '([^']*)'.*", "missing required " + noun + " '$1'");
        }
        return what;
    }
}
