package io.npusim.system.spec;

import io.npusim.core.UserError;
import java.util.Arrays;
import java.util.Locale;

/** The kernel policy a run models. */
public enum Policy {
    /** Upstream drivers/accel/rocket on drm_sched, Mesa/Teflon-style userspace. */
    ROCKET,
    /** Vendor rknpu 0.9.8, RKNN/RKLLM-style userspace. */
    RKNPU,
    /** A first-class NPU subsystem (explicit jobs, contexts, visible SRAM, residency, hints). */
    PROPOSED;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Policy parse(String s) {
        for (Policy p : values()) if (p.key().equals(s.trim().toLowerCase(Locale.ROOT))) return p;
        throw new UserError("unknown policy '" + s + "'; valid: " + String.join(", ", Arrays.stream(values()).map(Policy::key).toList()));
    }
}
