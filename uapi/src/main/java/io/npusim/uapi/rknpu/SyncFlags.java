package io.npusim.uapi.rknpu;

/** {@code enum e_rknpu_mem_sync_mode} (rknpu_ioctl.h 0.9.8), the bits of {@code rknpu_mem_sync.flags}. */
public final class SyncFlags {
    public static final int TO_DEVICE = 1 << 0;
    public static final int FROM_DEVICE = 1 << 1;
    /** {@code RKNPU_MEM_SYNC_MASK}. */
    public static final int MASK = TO_DEVICE | FROM_DEVICE;

    private SyncFlags() {}
}
