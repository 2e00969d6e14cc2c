package io.npusim.uapi.rknpu;

/**
 * Bit map of the PC block's INT_MASK (0x20), INT_CLEAR (0x24), INT_STATUS (0x28) and
 * INT_RAW_STATUS (0x2c) registers, shared by both drivers: mesa {@code registers.xml} and
 * torvalds/linux {@code drivers/accel/rocket/rocket_registers.h} ({@code PC_INTERRUPT_MASK_*}).
 * The {@code _0}/{@code _1} pairs belong to the two ping-pong register groups; rknpu compares the
 * status with each pair OR-ed together so either group may finish last.
 */
public final class NpuIrqBits {
    public static final int CNA_FEATURE_0 = 1 << 0;
    public static final int CNA_FEATURE_1 = 1 << 1;
    public static final int CNA_WEIGHT_0 = 1 << 2;
    public static final int CNA_WEIGHT_1 = 1 << 3;
    public static final int CNA_CSC_0 = 1 << 4;
    public static final int CNA_CSC_1 = 1 << 5;
    public static final int CORE_0 = 1 << 6;
    public static final int CORE_1 = 1 << 7;
    public static final int DPU_0 = 1 << 8;
    public static final int DPU_1 = 1 << 9;
    public static final int PPU_0 = 1 << 10;
    public static final int PPU_1 = 1 << 11;
    public static final int DMA_READ_ERROR = 1 << 12;
    public static final int DMA_WRITE_ERROR = 1 << 13;
    /**
     * {@code RKNPU_INT_CLEAR} (rknpu_ioctl.h): what rknpu writes to INT_CLEAR to clear
     * everything. It is 17 bits wide although only bits 0..13 are named.
     */
    public static final int CLEAR_ALL = 0x1ffff;

    private NpuIrqBits() {}
}
