package io.npusim.kernel.rknpu;

/**
 * rknpu_mm: the SRAM allocator. A bitmap of 4 KiB chunks; an allocation takes the first run of
 * free chunks that is long enough (first fit); freeing clears the bits.
 */
public final class RknpuMm {
    private final long chunkBytes;
    private final boolean[] used;
    private int free;

    public RknpuMm(long totalBytes, long chunkBytes) {
        this.chunkBytes = chunkBytes;
        this.used = new boolean[(int) (totalBytes / chunkBytes)];
        this.free = used.length;
    }

    public long totalBytes() {
        return used.length * chunkBytes;
    }

    public long freeBytes() {
        return free * chunkBytes;
    }

    public long chunkBytes() {
        return chunkBytes;
    }

    /** First-fit run of chunks for {@code bytes}; returns the byte offset or -1. */
    public long alloc(long bytes) {
        int need = (int) ((bytes + chunkBytes - 1) / chunkBytes);
        if (need <= 0 || need > free) return -1;
        int run = 0;
        for (int i = 0; i < used.length; i++) {
            run = used[i] ? 0 : run + 1;
            if (run == need) {
                int start = i - need + 1;
                for (int j = start; j <= i; j++) used[j] = true;
                free -= need;
                return start * chunkBytes;
            }
        }
        return -1;
    }

    public void free(long offset, long bytes) {
        int start = (int) (offset / chunkBytes);
        int n = (int) ((bytes + chunkBytes - 1) / chunkBytes);
        for (int j = start; j < start + n; j++) {
            if (!used[j]) throw new IllegalStateException("double free of SRAM chunk " + j);
            used[j] = false;
        }
        free += n;
    }
}
