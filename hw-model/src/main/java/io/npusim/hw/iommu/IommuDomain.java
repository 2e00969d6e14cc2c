package io.npusim.hw.iommu;

import io.npusim.hw.mem.PhysMemory;
import io.npusim.hw.mem.Region;
import java.util.Map;
import java.util.TreeMap;

/**
 * An IOMMU paging domain: a 4 GiB IOVA space (rockchip-iommu v2, 32-bit aperture) with a two-level
 * table of 4 KiB pages kept in DDR. Mappings are held as extents (one per mapped buffer piece);
 * the table pages they would need are counted for memory accounting and walk costs.
 */
public final class IommuDomain {
    public static final long APERTURE = 1L << 32;
    private static final long PT_SPAN = 1L << 22; // one page-table page maps 4 MiB

    /** One mapped IOVA extent: {@code bytes} at {@code iova} backed by {@code region} from {@code regionOffset}. */
    public record Extent(long iova, long bytes, Region region, long regionOffset) {
        public long end() {
            return iova + bytes;
        }
    }

    private final int id;
    private final String name;
    private final TreeMap<Long, Extent> extents = new TreeMap<>();
    private final int[] ptUse = new int[1024]; // mapped pages per page-table page (DTE index)
    private long mappedBytes;

    public IommuDomain(int id, String name) {
        this.id = id;
        this.name = name;
    }

    public int id() {
        return id;
    }

    public String name() {
        return name;
    }

    /** Maps a page-aligned range; false if it overlaps an existing mapping or leaves the aperture. */
    public boolean map(long iova, Region region, long regionOffset, long bytes) {
        if (iova % PhysMemory.PAGE != 0 || bytes <= 0 || bytes % PhysMemory.PAGE != 0) {
            throw new IllegalArgumentException("unaligned map " + Long.toHexString(iova) + "+" + bytes);
        }
        if (iova < 0 || iova + bytes > APERTURE) return false;
        Map.Entry<Long, Extent> below = extents.floorEntry(iova);
        if (below != null && below.getValue().end() > iova) return false;
        Map.Entry<Long, Extent> above = extents.ceilingEntry(iova);
        if (above != null && above.getKey() < iova + bytes) return false;
        extents.put(iova, new Extent(iova, bytes, region, regionOffset));
        mappedBytes += bytes;
        forEachPt(iova, bytes, +1);
        return true;
    }

    /** Unmaps the extent starting at {@code iova}; returns its size, or 0 if none starts there. */
    public long unmap(long iova) {
        Extent e = extents.remove(iova);
        if (e == null) return 0;
        mappedBytes -= e.bytes();
        forEachPt(e.iova(), e.bytes(), -1);
        return e.bytes();
    }

    private void forEachPt(long iova, long bytes, int sign) {
        long first = iova / PT_SPAN, last = (iova + bytes - 1) / PT_SPAN;
        for (long d = first; d <= last; d++) {
            long lo = Math.max(iova, d * PT_SPAN), hi = Math.min(iova + bytes, (d + 1) * PT_SPAN);
            ptUse[(int) d] += sign * (int) ((hi - lo) / PhysMemory.PAGE);
        }
    }

    /** The extent containing {@code iova}, or null if it is not mapped. */
    public Extent lookup(long iova) {
        Map.Entry<Long, Extent> e = extents.floorEntry(iova);
        if (e == null || e.getValue().end() <= iova) return null;
        return e.getValue();
    }

    public long mappedBytes() {
        return mappedBytes;
    }

    /** Pages of table memory: the directory plus one table per 4 MiB slot in use. */
    public int tablePages() {
        int n = 1;
        for (int u : ptUse) if (u > 0) n++;
        return n;
    }

    public int extentCount() {
        return extents.size();
    }

    /** Lowest free IOVA gap of {@code bytes} at or above {@code from} (first fit), or -1. */
    public long findFree(long from, long bytes) {
        long cursor = Math.max(from, 0);
        Map.Entry<Long, Extent> e = extents.floorEntry(cursor);
        if (e != null && e.getValue().end() > cursor) cursor = e.getValue().end();
        for (Extent x : extents.tailMap(cursor, true).values()) {
            if (x.iova() - cursor >= bytes) break;
            cursor = Math.max(cursor, x.end());
        }
        return cursor + bytes <= APERTURE ? cursor : -1;
    }

    @Override
    public String toString() {
        return "IommuDomain[" + id + " " + name + ", " + extents.size() + " extents, " + mappedBytes + " B]";
    }
}
