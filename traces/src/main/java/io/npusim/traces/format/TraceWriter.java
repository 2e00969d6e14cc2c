package io.npusim.traces.format;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.npusim.core.UserError;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes trace lines: one compact JSON object per line, LF endings, counted for the end line. */
public final class TraceWriter implements Closeable {
    private final String name;
    private final Writer out;
    private final ObjectMapper mapper = TraceFormat.lines();
    private int lines;

    public TraceWriter(String name, Writer out) {
        this.name = name;
        this.out = out;
    }

    /** A writer to a file (created, or replaced). */
    public static TraceWriter open(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            return new TraceWriter(file.toString(), new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8), 1 << 16));
        } catch (IOException e) {
            throw new UserError("cannot write trace " + file + ": " + e.getMessage());
        }
    }

    public void line(ObjectNode n) {
        try {
            out.write(mapper.writeValueAsString(n));
            out.write('\n');
            lines++;
        } catch (IOException e) {
            throw new UserError("cannot write trace " + name + ": " + e.getMessage());
        }
    }

    /** Lines written so far. */
    public int lines() {
        return lines;
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UserError("cannot finish trace " + name + ": " + e.getMessage());
        }
    }
}
