package io.npusim.hw.npu;

/**
 * Register offsets of one NPU core (mesa registers.xml, rocket_registers.h; rknpu_ioctl.h) and the
 * fields the drivers use.
 */
public final class NpuRegs {
    public static final int PC_VERSION = 0x0000;
    public static final int PC_VERSION_NUM = 0x0004;
    public static final int PC_OPERATION_ENABLE = 0x0008;
    public static final int PC_BASE_ADDRESS = 0x0010;
    public static final int PC_REGISTER_AMOUNTS = 0x0014;
    public static final int PC_INTERRUPT_MASK = 0x0020;
    public static final int PC_INTERRUPT_CLEAR = 0x0024;
    public static final int PC_INTERRUPT_STATUS = 0x0028;
    public static final int PC_INTERRUPT_RAW_STATUS = 0x002C;
    public static final int PC_TASK_CON = 0x0030;
    public static final int PC_TASK_DMA_BASE_ADDR = 0x0034;
    public static final int PC_TASK_STATUS = 0x003C;
    public static final int CNA_S_POINTER = 0x1004;
    public static final int CORE_S_POINTER = 0x3004;

    /** TASK_CON: bits 0-11 TASK_NUMBER (12 bits on RK3588), bit 12 TASK_PP_EN, bit 13 TASK_COUNT_CLEAR. */
    public static final int TASK_NUMBER_MASK = 0xfff;
    public static final int TASK_PP_EN = 1 << 12;
    public static final int TASK_COUNT_CLEAR = 1 << 13;

    /** S_POINTER: POINTER_PP_EN | EXECUTER_PP_EN | POINTER_PP_MODE (0xe); bits 28+ carry the core index. */
    public static final int S_POINTER_PP = 0xe;

    /** A plausible PC version value (VERSION + VERSION_NUM & 0xffff is what drivers print). */
    public static final int VERSION_VALUE = 0x0001_0000;

    private NpuRegs() {}

    /** Entries the PC fetches for a REGISTER_AMOUNTS value: (amount + 1) * 2 (128-bit units). */
    public static int entriesFor(int registerAmounts) {
        return ((registerAmounts & 0xffff) + 1) * 2;
    }

    /** REGISTER_AMOUNTS value that makes the PC fetch at least {@code entries} entries. */
    public static int amountFor(int entries) {
        return (entries + 1) / 2 - 1;
    }
}
