package io.npusim.kernel.drm;

import java.util.ArrayList;
import java.util.List;

/**
 * A reservation object: the fences of the jobs using a buffer, each with a usage. Implicit sync
 * waits for the fences whose usage matters: a reader waits for writers, a writer waits for
 * readers and writers (dma_resv_usage_rw).
 */
public final class DmaResv {
    /** enum dma_resv_usage, in order: a query for a usage returns that usage and all before it. */
    public enum Usage { KERNEL, WRITE, READ, BOOKKEEP }

    private record Entry(DmaFence fence, Usage usage) {}

    private final List<Entry> fences = new ArrayList<>(2);

    /** dma_resv_add_fence: replaces an unsignalled fence of the same context and usage class. */
    public void add(DmaFence f, Usage usage) {
        prune();
        fences.removeIf(e -> e.fence.context() == f.context() && e.usage == usage);
        fences.add(new Entry(f, usage));
    }

    /** Unsignalled fences with usage at or before {@code usage}. */
    public List<DmaFence> fences(Usage usage) {
        prune();
        List<DmaFence> out = new ArrayList<>();
        for (Entry e : fences) if (e.usage.ordinal() <= usage.ordinal()) out.add(e.fence);
        return out;
    }

    /** dma_resv_usage_rw: what a job must wait for before reading ({@code write=false}) or writing. */
    public static Usage usageRw(boolean write) {
        return write ? Usage.READ : Usage.WRITE;
    }

    private void prune() {
        fences.removeIf(e -> e.fence.isSignaled());
    }

    public int size() {
        prune();
        return fences.size();
    }
}
