package io.npusim.hw.iommu;

import io.npusim.hw.mem.MemKind;
import io.npusim.hw.mem.PhysMemory;
import io.npusim.hw.mem.Region;
import java.util.ArrayList;
import java.util.List;

/**
 * One Rockchip IOMMU (v2) instance in front of one or more NPU cores. It has one MMU bank per core
 * with its own IOTLB; commands go to every bank (rk_iommu_command loops the banks), so a domain
 * attach or a ZAP_CACHE makes every core behind it cold. Topologies: the vendor device tree puts
 * all three cores behind one instance sharing one page table; mainline gives each core its own.
 */
public final class Iommu {
    /** A translation fault: the access that found no mapping. */
    public record Fault(long iova, int core, int domainId, boolean write, long timePs) {}

    /** What a DMA range cost in translation and where its bytes live. */
    public record Access(long ddrBytes, long sramBytes, long misses, long pages, int foreignOwnerPid) {
        public static final Access EMPTY = new Access(0, 0, 0, 0, -1);
    }

    private final String name;
    private final int[] cores; // cores behind this instance
    private final Iotlb[] tlbByCore; // indexed by global core id (null for cores not behind it)
    private final int banks;
    private IommuDomain attached;
    private long attaches;
    private long detaches;
    private long zapCacheCommands;
    private long zapLineCommands;
    private final List<Fault> faults = new ArrayList<>();
    private Fault lastFault;

    /**
     * @param banks MMU banks that receive each command (core 0 has two in both topologies)
     */
    public Iommu(String name, int[] cores, int maxCoreId, long iotlbPages, int banks) {
        this.name = name;
        this.cores = cores.clone();
        this.tlbByCore = new Iotlb[maxCoreId + 1];
        for (int c : cores) tlbByCore[c] = new Iotlb(iotlbPages);
        this.banks = banks;
    }

    public String name() {
        return name;
    }

    public int[] cores() {
        return cores.clone();
    }

    public boolean serves(int core) {
        return core < tlbByCore.length && tlbByCore[core] != null;
    }

    public int banks() {
        return banks;
    }

    public IommuDomain attached() {
        return attached;
    }

    /**
     * Attaches a domain. Attaching the domain already attached is a no-op (rk_iommu_attach_device
     * returns early); otherwise the enable sequence writes DTE_ADDR and issues ZAP_CACHE, so every
     * bank's IOTLB starts cold. Returns true when the hardware was reprogrammed.
     */
    public boolean attach(IommuDomain domain) {
        if (domain == attached) return false;
        attached = domain;
        attaches++;
        zapCache();
        return true;
    }

    /** Detaches (paging disabled): later accesses fault. */
    public boolean detach() {
        if (attached == null) return false;
        attached = null;
        detaches++;
        return true;
    }

    /** ZAP_CACHE on every bank. */
    public void zapCache() {
        zapCacheCommands += banks;
        for (Iotlb t : tlbByCore) if (t != null) t.zapAll();
    }

    /** ZAP_ONE_LINE for every page of a range, on every bank (iommu_unmap in the BSP). */
    public void zapRange(long iova, long bytes) {
        long first = iova / PhysMemory.PAGE, last = (iova + bytes - 1) / PhysMemory.PAGE;
        zapLineCommands += (last - first + 1) * banks;
        for (Iotlb t : tlbByCore) {
            if (t == null) continue;
            for (long p = first; p <= last && t.cachedPages() > 0; p++) t.zapPage(p);
        }
    }

    /**
     * Translates a DMA range for {@code core}. Returns null and records a fault when any byte is
     * unmapped (or no domain is attached). {@code ownerPid} is the pid the access is made for;
     * a mapped region of another process is reported in {@link Access#foreignOwnerPid()}.
     */
    public Access translate(int core, long iova, long bytes, boolean write, int ownerPid, long nowPs) {
        if (bytes <= 0) return Access.EMPTY;
        IommuDomain d = attached;
        if (d == null) return fault(iova, core, -1, write, nowPs);
        long ddr = 0, sram = 0;
        int foreign = -1;
        long pos = iova, end = iova + bytes;
        while (pos < end) {
            IommuDomain.Extent e = d.lookup(pos);
            if (e == null) return fault(pos, core, d.id(), write, nowPs);
            long take = Math.min(end, e.end()) - pos;
            Region r = e.region();
            if (r.kind() == MemKind.SRAM) sram += take;
            else ddr += take;
            if (r.ownerPid() != ownerPid && foreign < 0) foreign = r.ownerPid();
            pos += take;
        }
        long firstPage = iova / PhysMemory.PAGE;
        long pages = (end - 1) / PhysMemory.PAGE - firstPage + 1;
        long misses = tlbByCore[core].access(firstPage, pages);
        return new Access(ddr, sram, misses, pages, foreign);
    }

    private Access fault(long iova, int core, int domainId, boolean write, long nowPs) {
        lastFault = new Fault(iova, core, domainId, write, nowPs);
        faults.add(lastFault);
        return null;
    }

    public Iotlb iotlb(int core) {
        return tlbByCore[core];
    }

    public Fault lastFault() {
        return lastFault;
    }

    public List<Fault> faults() {
        return List.copyOf(faults);
    }

    public long attaches() {
        return attaches;
    }

    public long detaches() {
        return detaches;
    }

    public long zapCacheCommands() {
        return zapCacheCommands;
    }

    public long zapLineCommands() {
        return zapLineCommands;
    }
}
