package io.npusim.core.random;

import java.nio.charset.StandardCharsets;

/**
 * Derives one independent stream per component from (run seed, component path), e.g.
 * {@code "client/camera/arrivals"}. Adding a component never shifts the numbers another one draws.
 */
public final class RngStreams {
    private final long seed;

    public RngStreams(long seed) {
        this.seed = seed;
    }

    public long seed() {
        return seed;
    }

    public RngStream stream(String componentPath) {
        return new RngStream(RngStream.mix(seed ^ RngStream.mix(fnv1a64(componentPath))), componentPath);
    }

    /** Stable 64-bit FNV-1a of the UTF-8 bytes. */
    static long fnv1a64(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= (b & 0xff);
            h *= 0x100000001b3L;
        }
        return h;
    }
}
