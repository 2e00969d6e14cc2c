package io.npusim.workloads.compile;

import java.util.ArrayList;
import java.util.List;

/**
 * Packs tensors with known lifetimes (first and last layer that touches them) into one buffer,
 * first fit by offset: the way runtimes size their "internal" memory far below the sum of all
 * activations.
 */
public final class Liveness {
    private record Block(long offset, long bytes, int end) {}

    private final List<Block> live = new ArrayList<>();
    private final long align;
    private long high;

    public Liveness(long align) {
        this.align = align;
    }

    /** Places a tensor alive from layer {@code start} to layer {@code end}; returns its offset. */
    public long place(long bytes, int start, int end) {
        live.removeIf(b -> b.end < start);
        long size = (bytes + align - 1) / align * align;
        List<Block> sorted = new ArrayList<>(live);
        sorted.sort((a, b) -> Long.compare(a.offset, b.offset));
        long cursor = 0;
        for (Block b : sorted) {
            if (b.offset - cursor >= size) break;
            cursor = Math.max(cursor, b.offset + b.bytes);
        }
        live.add(new Block(cursor, size, end));
        high = Math.max(high, cursor + size);
        return cursor;
    }

    /** Size the buffer needs. */
    public long high() {
        return Math.max(high, align);
    }
}
