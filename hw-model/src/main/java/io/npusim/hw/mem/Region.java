package io.npusim.hw.mem;

import it.unimi.dsi.fastutil.longs.Long2ObjectOpenHashMap;

/**
 * A physically backed buffer: a run of pages in DDR or in the system SRAM, owned by a process.
 * Besides its size it holds typed contents at byte offsets (register-command streams, task
 * descriptors) standing for the bytes software wrote there; the hardware reads them back.
 */
public final class Region {
    private final long id;
    private final String name;
    private final int ownerPid;
    private final MemKind kind;
    private final long physBase;
    private final long bytes;
    private final Long2ObjectOpenHashMap<Object> content = new Long2ObjectOpenHashMap<>();
    private boolean freed;

    Region(long id, String name, int ownerPid, MemKind kind, long physBase, long bytes) {
        this.id = id;
        this.name = name;
        this.ownerPid = ownerPid;
        this.kind = kind;
        this.physBase = physBase;
        this.bytes = bytes;
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

    public MemKind kind() {
        return kind;
    }

    public long physBase() {
        return physBase;
    }

    public long bytes() {
        return bytes;
    }

    public boolean isFreed() {
        return freed;
    }

    void markFreed() {
        freed = true;
        content.clear();
    }

    public void put(long offset, Object value) {
        checkOffset(offset);
        if (value == null) content.remove(offset);
        else content.put(offset, value);
    }

    public Object get(long offset) {
        checkOffset(offset);
        return content.get(offset);
    }

    private void checkOffset(long offset) {
        if (offset < 0 || offset >= bytes) {
            throw new IndexOutOfBoundsException("offset " + offset + " outside region " + name + " of " + bytes + " bytes");
        }
    }

    @Override
    public String toString() {
        return "Region[" + name + ", pid " + ownerPid + ", " + kind + ", " + bytes + " B]";
    }
}
