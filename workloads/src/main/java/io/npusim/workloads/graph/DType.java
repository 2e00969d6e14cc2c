package io.npusim.workloads.graph;

/** Element datatype of a tensor. */
public enum DType {
    INT4(4, true, "int4"),
    INT8(8, true, "int8"),
    UINT8(8, true, "uint8"),
    INT16(16, true, "int16"),
    FP16(16, false, "fp16"),
    FP32(32, false, "fp32"),
    INT32(32, true, "int32");

    private final int bits;
    private final boolean integer;
    private final String label;

    DType(int bits, boolean integer, String label) {
        this.bits = bits;
        this.integer = integer;
        this.label = label;
    }

    public int bits() {
        return bits;
    }

    public boolean isInteger() {
        return integer;
    }

    public boolean isFloat() {
        return !integer;
    }

    /** Lower-case name as runtimes print it ("uint8", "fp16"). */
    public String label() {
        return label;
    }

    /** Bytes taken by {@code elements} packed elements, rounded up (INT4 packs two per byte). */
    public long bytes(long elements) {
        if (elements < 0) {
            throw new IllegalArgumentException("negative element count " + elements);
        }
        return Math.addExact(Math.multiplyExact(elements, bits), 7) / 8;
    }
}
