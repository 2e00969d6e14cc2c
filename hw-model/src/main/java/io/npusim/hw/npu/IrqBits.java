package io.npusim.hw.npu;

/**
 * Interrupt status bits of the PC block (mesa registers.xml / rocket_registers.h). {@code _0}/{@code _1}
 * are the two ping-pong register groups; drivers pair them.
 */
public final class IrqBits {
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
    /** What drivers write to INTERRUPT_CLEAR to clear everything. */
    public static final int ALL = 0x1ffff;
    public static final int DPU_BOTH = DPU_0 | DPU_1;
    public static final int PPU_BOTH = PPU_0 | PPU_1;
    public static final int DMA_ERRORS = DMA_READ_ERROR | DMA_WRITE_ERROR;

    private IrqBits() {}

    /** rknpu's "fuzz": every ping-pong pair with any bit set becomes the full pair. */
    public static int pairFuzz(int status) {
        int fuzz = 0;
        for (int pair = 0x3; pair <= 0xc00; pair <<= 2) {
            if ((status & pair) != 0) fuzz |= pair;
        }
        return fuzz;
    }
}
