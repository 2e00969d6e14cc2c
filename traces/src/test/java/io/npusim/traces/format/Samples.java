package io.npusim.traces.format;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The files in traces/samples/. */
public final class Samples {
    private Samples() {}

    public static Path dir() {
        Path p = Path.of("samples");
        if (Files.isDirectory(p)) return p;
        return Path.of("traces", "samples");
    }

    public static Path file(String name) {
        return dir().resolve(name);
    }

    public static byte[] bytes(String name) {
        try {
            return Files.readAllBytes(file(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A small valid trace: one process, two calls, a request, the end line. */
    public static String tiny() {
        return String.join("\n",
                "{\"t\":\"header\",\"format\":\"npusim-trace\",\"version\":1,\"simulator\":\"test\",\"platform\":\"rk3588\",\"levels\":[\"uapi\",\"workload\"],"
                        + "\"source\":\"test\",\"policy\":\"rknpu\",\"duration_ps\":1000000,\"npu_mhz\":1000,\"seed\":1,\"run\":{\"scenario\":\"x\"},"
                        + "\"scenario\":{\"name\":\"x\",\"clients\":[{\"name\":\"c\",\"model\":\"mobilenet_v1\",\"arrival\":{\"type\":\"closed_loop\"}}]}}",
                "{\"t\":\"process\",\"pid\":1000,\"name\":\"c\",\"affinity\":[4,5,6,7]}",
                "{\"t\":\"thread\",\"pid\":1000,\"tid\":1000,\"name\":\"main\",\"cpu\":4}",
                "{\"t\":\"client\",\"name\":\"c\",\"pid\":1000,\"tid\":1000,\"kind\":\"vision\",\"model\":\"mobilenet_v1\",\"runtime\":\"rknn\"}",
                "{\"t\":\"arrival\",\"client\":\"c\",\"at_ps\":0,\"prompt_tokens\":0,\"answer_tokens\":0}",
                "{\"t\":\"open\",\"id\":0,\"after\":-1,\"pid\":1000,\"tid\":1000,\"at_ps\":0,\"dur_ps\":610001,\"ret\":3,\"path\":\"/dev/dri/renderD129\"}",
                "{\"t\":\"ioctl\",\"id\":1,\"after\":0,\"pid\":1000,\"tid\":1000,\"at_ps\":610001,\"dur_ps\":1000,\"ret\":0,\"fd\":3,\"nr\":\"0xc0106443\","
                        + "\"name\":\"DRM_IOCTL_RKNPU_MEM_MAP\",\"arg\":{\"handle\":1,\"reserved\":0,\"offset\":0},\"out\":{\"offset\":4294967296}}",
                "{\"t\":\"cpu\",\"id\":2,\"after\":1,\"pid\":1000,\"tid\":1000,\"at_ps\":611001,\"pending\":true,\"name\":\"w\",\"ref_ps\":5,\"ddr_bytes\":0,\"part\":\"runtime_cpu\"}",
                "{\"t\":\"end\",\"lines\":9,\"calls\":3}") + "\n";
    }
}
