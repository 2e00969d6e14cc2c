package io.npusim.hw.npu;

/**
 * The register commands of one task as stored in memory: {@code entries} 64-bit words that program
 * {@link TaskOp}, ending with the four PC tail entries. The tail holds the address and
 * REGISTER_AMOUNTS of the next task (0 when nothing follows), which the PC follows when it runs
 * several tasks per start (TASK_NUMBER > 1).
 */
public record RegcmdStream(int entries, TaskOp op, long nextAddress, int nextAmounts) {
    /** Entries Mesa and the vendor runtime append: PC_BASE_ADDRESS, PC_REGISTER_AMOUNTS, 0x0041..., op_en. */
    public static final int TAIL_ENTRIES = 4;
    public static final int ENTRY_BYTES = 8;

    public RegcmdStream {
        if (entries < TAIL_ENTRIES + 1) throw new IllegalArgumentException("regcmd stream of " + entries + " entries");
    }

    public long bytes() {
        return (long) entries * ENTRY_BYTES;
    }

    public RegcmdStream withNext(long address, int amounts) {
        return new RegcmdStream(entries, op, address, amounts);
    }
}
