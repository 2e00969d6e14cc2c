package io.npusim.kernel.drm;

import io.npusim.uapi.Errno;
import io.npusim.uapi.os.Syscalls;
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

    /**
     * drm_gem_mmap: maps the object at {@code offset}; -EINVAL when there is none (or it is freed)
     * or {@code length} passes its end, -EACCES when the caller's file holds no handle to it
     * (drm_vma_node_is_allowed). A driver with its own mmap that skips the file check passes null.
     */
    public void mmap(long offset, long length, HandleTable callerHandles, Syscalls.MmapResult done) {
        GemObject o = lookup(offset);
        if (o == null || o.isFreed() || length > o.size()) {
            done.done(-Errno.EINVAL, null);
            return;
        }
        if (callerHandles != null && !callerHandles.objects().contains(o)) {
            done.done(-Errno.EACCES, null);
            return;
        }
        done.done(0, new GemMapping(o));
    }

    public void remove(GemObject o) {
        byOffset.remove(o.mapOffset());
    }
}
