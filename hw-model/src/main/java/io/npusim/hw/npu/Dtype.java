package io.npusim.hw.npu;

/** Datatypes of the MAC array. INT16 and INT4 rates are unverified (see the hardware config). */
public enum Dtype {
    INT4(4), INT8(8), INT16(16), FP16(16);

    private final int bits;

    Dtype(int bits) {
        this.bits = bits;
    }

    public int bits() {
        return bits;
    }

    /** Bytes for {@code elements} elements (INT4 packs two per byte). */
    public long bytes(long elements) {
        return (elements * bits + 7) / 8;
    }

    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
