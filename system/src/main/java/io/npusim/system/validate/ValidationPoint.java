package io.npusim.system.validate;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** One point of an {@code npusim-validation/1} file (shared/validation/README.md). */
public record ValidationPoint(
        @JsonProperty(value = "id", required = true) String id,
        @JsonProperty(value = "source", required = true) String source,
        @JsonProperty(value = "model", required = true) String model,
        @JsonProperty("dtype") String dtype,
        @JsonProperty("input") List<Integer> input,
        @JsonProperty(value = "policy", required = true) String policy,
        @JsonProperty("core_mask") Object coreMask,
        @JsonProperty("clients") Integer clients,
        @JsonProperty("placement") String placement,
        @JsonProperty("scope") String scope,
        @JsonProperty("npu_mhz") Integer npuMhz,
        @JsonProperty("ddr") String ddr,
        @JsonProperty("sram_kb") Integer sramKb,
        @JsonProperty("prompt_tokens") Integer promptTokens,
        @JsonProperty("new_tokens") Integer newTokens,
        @JsonProperty(value = "metric", required = true) String metric,
        @JsonProperty("relative_to") String relativeTo,
        @JsonProperty(value = "expected", required = true) double expected,
        @JsonProperty(value = "tolerance", required = true) double tolerance) {

    public static final List<String> METRICS = List.of("latency_ms", "p50_latency_ms", "p99_latency_ms", "fps_aggregate",
            "ttft_ms", "decode_tokens_per_s", "ddr_mb_per_inference");

    /** The core mask as an integer (written in hex or decimal; default AUTO). */
    public int mask() {
        if (coreMask == null) return 0;
        if (coreMask instanceof Integer n) return n;
        if (coreMask instanceof Number) throw new NumberFormatException("not a small integer"); // 1.9 or 2^32+1 must not become 1
        String s = coreMask.toString().trim().toLowerCase(java.util.Locale.ROOT);
        return s.startsWith("0x") ? Integer.parseInt(s.substring(2), 16) : Integer.parseInt(s);
    }

    public int clientCount() {
        return clients == null ? 1 : clients;
    }
}
