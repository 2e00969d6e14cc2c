package io.npusim.hw.mem;

import java.util.Map;
import java.util.TreeMap;

/**
 * Physical memory of the board: DDR pages handed out to buffers, and the system SRAM window the
 * NPU was given. Allocation is page-granular; the SRAM allocator itself is the driver's
 * (rknpu_mm), so SRAM regions are placed at offsets the driver chose.
 */
public final class PhysMemory {
    public static final long PAGE = 4096;
    /** SRAM sits at its own physical window (0xff001000 on RK3588), far from DDR addresses. */
    public static final long SRAM_BASE = 0xff001000L;

    private final long ddrCapacity;
    private final long sramCapacity;
    private final TreeMap<Long, Region> byBase = new TreeMap<>();
    private long nextDdr = 0x0100_0000L; // leave the first 16 MiB to firmware and the kernel
    private long ddrInUse;
    private long sramInUse;
    private long nextId = 1;

    public PhysMemory(long ddrCapacityBytes, long sramCapacityBytes) {
        this.ddrCapacity = ddrCapacityBytes;
        this.sramCapacity = sramCapacityBytes;
    }

    public static long pageAlign(long bytes) {
        return (bytes + PAGE - 1) / PAGE * PAGE;
    }

    /** Allocates {@code bytes} (rounded up to pages) of DDR; null when memory is exhausted. */
    public Region allocDdr(String name, int ownerPid, long bytes) {
        long size = pageAlign(Math.max(bytes, 1));
        if (ddrInUse + size > ddrCapacity) return null;
        Region r = new Region(nextId++, name, ownerPid, MemKind.DDR, nextDdr, size);
        nextDdr += size;
        ddrInUse += size;
        byBase.put(r.physBase(), r);
        return r;
    }

    /** Places an SRAM region at {@code offset} bytes into the NPU's SRAM window. */
    public Region allocSram(String name, int ownerPid, long offset, long bytes) {
        long size = pageAlign(bytes);
        if (offset < 0 || offset % PAGE != 0 || offset + size > sramCapacity) {
            throw new IllegalArgumentException("SRAM range " + offset + "+" + size + " outside the " + sramCapacity + "-byte window");
        }
        Region r = new Region(nextId++, name, ownerPid, MemKind.SRAM, SRAM_BASE + offset, size);
        byBase.put(r.physBase(), r);
        sramInUse += size;
        return r;
    }

    public void free(Region r) {
        if (r.isFreed()) return;
        if (byBase.remove(r.physBase()) != r) throw new IllegalStateException("free of unknown region " + r);
        if (r.kind() == MemKind.DDR) ddrInUse -= r.bytes();
        else sramInUse -= r.bytes();
        r.markFreed();
    }

    /** The live region containing a physical address, or null. */
    public Region at(long phys) {
        Map.Entry<Long, Region> e = byBase.floorEntry(phys);
        if (e == null) return null;
        Region r = e.getValue();
        return phys < r.physBase() + r.bytes() ? r : null;
    }

    public long ddrInUse() {
        return ddrInUse;
    }

    public long ddrCapacity() {
        return ddrCapacity;
    }

    public long sramInUse() {
        return sramInUse;
    }

    public long sramCapacity() {
        return sramCapacity;
    }
}
