package io.npusim.kernel.drm;

import io.npusim.hw.iommu.IommuDomain;
import io.npusim.hw.mem.Region;

/**
 * A GEM buffer object: pinned pages (a DDR region, plus an optional system-SRAM prefix), its NPU
 * address in one IOMMU domain, its fake mmap offset and its reservation object.
 */
public final class GemObject {
    private final long id;
    private final String name;
    private final int ownerPid;
    private final long size;
    private final Region region;
    private final Region sram;
    private final DmaResv resv = new DmaResv();
    private IommuDomain domain;
    private long iova = -1;
    private long mapOffset;
    private int flags;
    private int handleCount;
    private boolean freed;

    public GemObject(long id, String name, int ownerPid, long size, Region region, Region sram) {
        this.id = id;
        this.name = name;
        this.ownerPid = ownerPid;
        this.size = size;
        this.region = region;
        this.sram = sram;
    }

    public long id() {
        return id;
    }

    public String name() {
        return name;
    }

    public int ownerPid() {
        return ownerPid;
    }

    /** Size in bytes (page aligned) of the DDR part. */
    public long size() {
        return size;
    }

    public long pages() {
        return size / 4096;
    }

    public Region region() {
        return region;
    }

    /** The system-SRAM prefix of the NPU address range, or null. */
    public Region sram() {
        return sram;
    }

    public long sramBytes() {
        return sram == null ? 0 : sram.bytes();
    }

    public DmaResv resv() {
        return resv;
    }

    public IommuDomain domain() {
        return domain;
    }

    public long iova() {
        return iova;
    }

    public void setMapping(IommuDomain d, long iova) {
        this.domain = d;
        this.iova = iova;
    }

    public long mapOffset() {
        return mapOffset;
    }

    public void setMapOffset(long off) {
        this.mapOffset = off;
    }

    public int flags() {
        return flags;
    }

    public void setFlags(int f) {
        this.flags = f;
    }

    public void addHandle() {
        handleCount++;
    }

    /** Drops a handle reference; true when no handle is left. */
    public boolean dropHandle() {
        return --handleCount <= 0;
    }

    public boolean isFreed() {
        return freed;
    }

    public void markFreed() {
        freed = true;
    }

    @Override
    public String toString() {
        return "GemObject[" + name + " " + size + " B @0x" + Long.toHexString(iova) + "]";
    }
}
