package io.npusim.uapi.codec;

/**
 * A struct was decoded from fewer bytes than its C size. Thrown instead of reading zeros so that a
 * short trace record or a wrong struct size is caught where it happens.
 */
public final class TruncatedStructException extends IllegalArgumentException {
    private final String struct;
    private final int neededBytes;
    private final int availableBytes;

    public TruncatedStructException(String struct, int neededBytes, int availableBytes) {
        super("struct " + struct + " needs " + neededBytes + " bytes but only " + availableBytes
                + " remain in the buffer");
        this.struct = struct;
        this.neededBytes = neededBytes;
        this.availableBytes = availableBytes;
    }

    public String struct() {
        return struct;
    }

    public int neededBytes() {
        return neededBytes;
    }

    public int availableBytes() {
        return availableBytes;
    }
}
