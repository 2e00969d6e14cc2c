package io.npusim.traces.capture;

import io.npusim.core.UserError;
import io.npusim.traces.format.TraceWriter;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@code npusim trace import --from rknpu-bpftrace|drm-sched-ftrace FILE}: a capture into the workload level. */
public final class Importers {
    public static final List<String> FORMATS = List.of(RknpuBpftraceImporter.SOURCE, DrmSchedFtraceImporter.SOURCE);

    private Importers() {}

    /** Parses a capture's text. */
    public static Capture parse(String format, List<String> lines, String name) {
        return switch (format.toLowerCase(Locale.ROOT)) {
            case RknpuBpftraceImporter.SOURCE -> new RknpuBpftraceImporter().parse(lines, name);
            case DrmSchedFtraceImporter.SOURCE -> new DrmSchedFtraceImporter().parse(lines, name);
            default -> throw new UserError("--from must be one of " + String.join(", ", FORMATS) + ", got '" + format + "'");
        };
    }

    /** Reads a capture file as text lines (UTF-8, or bytes as Latin-1 where it is not UTF-8). */
    public static List<String> lines(Path file) {
        try {
            byte[] b = Files.readAllBytes(file);
            String text;
            try {
                text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(b)).toString();
            } catch (CharacterCodingException e) {
                text = new String(b, StandardCharsets.ISO_8859_1);
            }
            return new ArrayList<>(text.lines().toList());
        } catch (NoSuchFileException e) {
            throw new UserError("capture " + file + " does not exist");
        } catch (IOException e) {
            throw new UserError("cannot read capture " + file + ": " + e.getMessage());
        }
    }

    /** Imports {@code in} to {@code out}; returns the capture for a report. */
    public static Capture importFile(String format, Path in, Path out, Integer npuMhz) {
        Capture c = parse(format, lines(in), in.toString());
        try (TraceWriter w = TraceWriter.open(out)) {
            c.write(w, npuMhz);
        }
        return c;
    }

    /** The default output name: the capture's name with .npusim.jsonl. */
    public static Path defaultOut(Path in) {
        return in.resolveSibling(in.getFileName() + ".npusim.jsonl");
    }
}
