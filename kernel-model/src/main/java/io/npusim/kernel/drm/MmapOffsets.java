package io.npusim.kernel.drm;

import java.util.TreeMap;

/**
 * drm_vma_offset_manager: fake mmap offsets of GEM objects on one device, starting at
 * DRM_FILE_PAGE_OFFSET_START (4 GiB on 64-bit).
 */
public final class MmapOffsets {
    public static final long START = 1L << 32;
    private final TreeMap<Long, GemObject> byOffset = new TreeMap<>();
    private long next = START;

    public long assign(GemObject o) {
        long off = next;
        next += Math.max(o.size(), 4096);
        byOffset.put(off, o);
        o.setMapOffset(off);
        return off;
    }

    public GemObject lookup(long offset) {
        return byOffset.get(offset);
    }

    public void remove(GemObject o) {
        byOffset.remove(o.mapOffset());
    }
}
