package io.npusim.kernel.drm;

/** dma_fence_context_alloc for one kernel: unique context numbers. */
public final class DmaFenceContexts {
    private long next = 1;

    /** Allocates {@code n} consecutive contexts and returns the first. */
    public long alloc(int n) {
        long first = next;
        next += n;
        return first;
    }
}
