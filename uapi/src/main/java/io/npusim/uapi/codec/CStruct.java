package io.npusim.uapi.codec;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * Field-by-field access to one C struct inside a {@link ByteBuffer}, at explicit byte offsets
 * from the struct's start. Codecs state every offset as in the C header, so a layout mistake shows
 * as a wrong number next to the header citation rather than as a shifted sequence of puts.
 *
 * <p>Always little-endian (arm64 Linux), independent of the caller's buffer order. A
 * {@link Writer} zero-fills the whole struct first, so padding and any bytes a codec does not
 * name are 0, as after a C {@code memset}/designated initialiser.
 *
 * <p>Integer conventions: a C {@code __u32} is read either as an {@code int} holding the raw 32
 * bits ({@link Reader#u32}) or zero-extended into a {@code long} ({@link Reader#u32AsLong});
 * a {@code __u64} is a {@code long} holding the raw 64 bits.
 */
public final class CStruct {
    private CStruct() {}

    /** Starts writing a struct of {@code sizeBytes} at {@code out}'s position. */
    public static Writer writer(ByteBuffer out, String struct, int sizeBytes) {
        Objects.requireNonNull(out, "out");
        if (out.remaining() < sizeBytes) {
            throw new IllegalArgumentException("struct " + struct + " needs " + sizeBytes
                    + " bytes but the output buffer has only " + out.remaining() + " left");
        }
        return new Writer(out, struct, sizeBytes);
    }

    /**
     * Starts reading a struct of {@code sizeBytes} at {@code in}'s position.
     *
     * @throws TruncatedStructException if fewer than {@code sizeBytes} bytes remain
     */
    public static Reader reader(ByteBuffer in, String struct, int sizeBytes) {
        Objects.requireNonNull(in, "in");
        if (in.remaining() < sizeBytes) {
            throw new TruncatedStructException(struct, sizeBytes, in.remaining());
        }
        return new Reader(in, struct, sizeBytes);
    }

    /** Writes the fields of one value; the writer is already zero-filled. */
    @FunctionalInterface
    public interface FieldWriter<T> {
        void write(T value, Writer w);
    }

    /** Reads the fields of one value. */
    @FunctionalInterface
    public interface FieldReader<T> {
        T read(Reader r);
    }

    /**
     * A codec for a struct named {@code struct} (the C name, for messages) of {@code sizeBytes},
     * given how to write and read its fields at their offsets.
     */
    public static <T> Codec<T> codec(String struct, int sizeBytes, FieldWriter<T> encodeFields,
            FieldReader<T> decodeFields) {
        Objects.requireNonNull(encodeFields, "encodeFields");
        Objects.requireNonNull(decodeFields, "decodeFields");
        return new Codec<>() {
            @Override
            public int size() {
                return sizeBytes;
            }

            @Override
            public void encode(T value, ByteBuffer out) {
                Objects.requireNonNull(value, "value");
                Writer w = writer(out, struct, sizeBytes);
                encodeFields.write(value, w);
                w.finish();
            }

            @Override
            public T decode(ByteBuffer in) {
                Reader r = reader(in, struct, sizeBytes);
                T value = decodeFields.read(r);
                r.finish();
                return value;
            }

            @Override
            public String toString() {
                return "Codec[struct " + struct + ", " + sizeBytes + " bytes]";
            }
        };
    }

    /** Checks that {@code value} fits a C {@code __u32}; returns it as raw bits. */
    public static int checkU32(String field, long value) {
        if (value < 0 || value > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException(field + " = " + value + " does not fit a __u32");
        }
        return (int) value;
    }

    private abstract static class Cursor {
        final ByteBuffer view;
        final ByteBuffer origin;
        final String struct;
        final int base;
        final int sizeBytes;

        Cursor(ByteBuffer origin, String struct, int sizeBytes) {
            this.origin = origin;
            // A duplicate shares the bytes but has its own order and position: the caller's
            // buffer keeps its byte order.
            this.view = origin.duplicate().order(ByteOrder.LITTLE_ENDIAN);
            this.struct = struct;
            this.base = origin.position();
            this.sizeBytes = sizeBytes;
        }

        final int at(int offset, int width) {
            if (offset < 0 || offset + width > sizeBytes) {
                throw new IndexOutOfBoundsException("field at offset " + offset + " (" + width
                        + " bytes) lies outside struct " + struct + " of " + sizeBytes + " bytes");
            }
            return base + offset;
        }

        /** Moves the caller's buffer past the struct. */
        public final void finish() {
            origin.position(base + sizeBytes);
        }
    }

    /** Writes fields of one struct; call {@link #finish()} to advance the caller's buffer. */
    public static final class Writer extends Cursor {
        Writer(ByteBuffer out, String struct, int sizeBytes) {
            super(out, struct, sizeBytes);
            for (int i = 0; i < sizeBytes; i++) view.put(base + i, (byte) 0);
        }

        public Writer u8(int offset, int value) {
            view.put(at(offset, 1), (byte) value);
            return this;
        }

        public Writer u16(int offset, int value) {
            view.putShort(at(offset, 2), (short) value);
            return this;
        }

        /** A {@code __u32} or {@code __s32} from its raw 32 bits. */
        public Writer u32(int offset, int raw) {
            view.putInt(at(offset, 4), raw);
            return this;
        }

        /** A {@code __s32}. */
        public Writer s32(int offset, int value) {
            return u32(offset, value);
        }

        /** A {@code __u32} from a non-negative long; throws if it does not fit 32 bits. */
        public Writer u32Unsigned(int offset, String field, long value) {
            return u32(offset, checkU32(struct + "." + field, value));
        }

        /** A {@code __u64} from its raw 64 bits. */
        public Writer u64(int offset, long raw) {
            view.putLong(at(offset, 8), raw);
            return this;
        }

        /** A {@code __s64}. */
        public Writer s64(int offset, long value) {
            return u64(offset, value);
        }
    }

    /** Reads fields of one struct; call {@link #finish()} to advance the caller's buffer. */
    public static final class Reader extends Cursor {
        Reader(ByteBuffer in, String struct, int sizeBytes) {
            super(in, struct, sizeBytes);
        }

        public int u8(int offset) {
            return view.get(at(offset, 1)) & 0xFF;
        }

        public int u16(int offset) {
            return view.getShort(at(offset, 2)) & 0xFFFF;
        }

        /** A {@code __u32} as its raw 32 bits. */
        public int u32(int offset) {
            return view.getInt(at(offset, 4));
        }

        /** A {@code __u32} zero-extended. */
        public long u32AsLong(int offset) {
            return Integer.toUnsignedLong(u32(offset));
        }

        /** A {@code __s32}. */
        public int s32(int offset) {
            return u32(offset);
        }

        /** A {@code __u64} as its raw 64 bits. */
        public long u64(int offset) {
            return view.getLong(at(offset, 8));
        }

        /** A {@code __s64}. */
        public long s64(int offset) {
            return u64(offset);
        }
    }
}
