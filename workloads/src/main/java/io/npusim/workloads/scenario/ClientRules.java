package io.npusim.workloads.scenario;

import io.npusim.core.UserError;
import io.npusim.workloads.zoo.ModelSpec;
import java.util.List;

/**
 * What a client may ask of a model of each kind: its datatype, input shape and cores. One rule set
 * for scenario files, point files and the board, so each reports the same mistake the same way.
 */
public final class ClientRules {
    private ClientRules() {
    }

    /**
     * The first rule the request breaks, as "key: what is wrong", or null. A vision request is
     * checked by building its variant (cached by the model's zoo, so the run that follows reuses it).
     */
    public static String problem(ModelSpec m, String dtype, List<Integer> input, int mask, String placement) {
        if (input != null && m.kind() != ModelSpec.Kind.VISION) {
            return "input: only vision models take an input shape; " + m.name() + " takes " + m.inputDescription();
        }
        switch (m.kind()) {
            case VISION -> {
                try {
                    m.graph(input, dtype);
                } catch (UserError e) {
                    return e.getMessage(); // "input: ..." or "dtype: ...": the model's own shape rules speak
                }
            }
            case AUDIO -> {
                if (dtype != null && !dtype.equals("fp16")) return "dtype: " + m.name() + " runs in fp16 only, got '" + dtype + "'; valid: fp16";
            }
            case LLM -> {
                // RKLLM rotates single-core submits over all three cores and takes no mask (rkllm-internals.md 2.1);
                // the other policies' LLM runtimes use every core too
                if (mask != 0 && mask != 7) return "core_mask: an LLM runtime uses all three cores; give 0x0 or 0x7, got 0x" + Integer.toHexString(mask);
                if ("per-core".equals(placement)) return "placement: an LLM runtime uses all three cores; per-core does not apply";
                if (dtype != null && !dtype.equals("w8a8") && !dtype.equals("w8a8_g128")) {
                    return "dtype: RKLLM on RK3588 runs w8a8 or w8a8_g128, got '" + dtype + "'";
                }
            }
        }
        return null;
    }
}
