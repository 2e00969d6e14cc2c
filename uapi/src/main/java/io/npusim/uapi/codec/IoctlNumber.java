package io.npusim.uapi.codec;

/**
 * ioctl(2) request numbers as Linux builds them in {@code include/uapi/asm-generic/ioctl.h}
 * (the arm64 layout): bits 0-7 nr, 8-15 type, 16-29 argument size, 30-31 direction. Numbers are
 * returned as non-negative longs (the unsigned 32-bit value), matching
 * {@link io.npusim.uapi.Ioctl#request()}.
 *
 * <p>Also the DRM flavour from {@code include/uapi/drm/drm.h}: type {@code 'd'}
 * ({@code DRM_IOCTL_BASE}), driver ioctls numbered from {@code DRM_COMMAND_BASE = 0x40}.
 */
public final class IoctlNumber {
    public static final int NRBITS = 8;
    public static final int TYPEBITS = 8;
    public static final int SIZEBITS = 14;
    public static final int DIRBITS = 2;

    public static final int NRSHIFT = 0;
    public static final int TYPESHIFT = NRSHIFT + NRBITS;
    public static final int SIZESHIFT = TYPESHIFT + TYPEBITS;
    public static final int DIRSHIFT = SIZESHIFT + SIZEBITS;

    /** {@code _IOC_NONE}. */
    public static final int DIR_NONE = 0;
    /** {@code _IOC_WRITE}: userspace writes the argument, the kernel reads it (copy_from_user). */
    public static final int DIR_WRITE = 1;
    /** {@code _IOC_READ}: the kernel writes the argument back (copy_to_user). */
    public static final int DIR_READ = 2;

    /** {@code DRM_IOCTL_BASE}, the ioctl type of every DRM ioctl. */
    public static final int DRM_IOCTL_BASE = 'd';
    /** {@code DRM_COMMAND_BASE}: first nr of driver-private DRM ioctls (below are core DRM ones). */
    public static final int DRM_COMMAND_BASE = 0x40;

    private IoctlNumber() {}

    /** {@code _IOC(dir, type, nr, size)}. */
    public static long ioc(int dir, int type, int nr, int sizeBytes) {
        check("dir", dir, DIRBITS);
        check("type", type, TYPEBITS);
        check("nr", nr, NRBITS);
        check("size", sizeBytes, SIZEBITS);
        long v = ((long) dir << DIRSHIFT) | ((long) sizeBytes << SIZESHIFT)
                | ((long) type << TYPESHIFT) | ((long) nr << NRSHIFT);
        return v & 0xFFFF_FFFFL;
    }

    public static long io(int type, int nr) {
        return ioc(DIR_NONE, type, nr, 0);
    }

    public static long ior(int type, int nr, int sizeBytes) {
        return ioc(DIR_READ, type, nr, sizeBytes);
    }

    public static long iow(int type, int nr, int sizeBytes) {
        return ioc(DIR_WRITE, type, nr, sizeBytes);
    }

    public static long iowr(int type, int nr, int sizeBytes) {
        return ioc(DIR_READ | DIR_WRITE, type, nr, sizeBytes);
    }

    /** {@code DRM_IOR(nr, struct)}. */
    public static long drmIor(int nr, int sizeBytes) {
        return ior(DRM_IOCTL_BASE, nr, sizeBytes);
    }

    /** {@code DRM_IOW(nr, struct)}. */
    public static long drmIow(int nr, int sizeBytes) {
        return iow(DRM_IOCTL_BASE, nr, sizeBytes);
    }

    /** {@code DRM_IOWR(nr, struct)}. */
    public static long drmIowr(int nr, int sizeBytes) {
        return iowr(DRM_IOCTL_BASE, nr, sizeBytes);
    }

    /** {@code _IOC_DIR(request)}. */
    public static int dir(long request) {
        return (int) ((request >>> DIRSHIFT) & ((1 << DIRBITS) - 1));
    }

    /** {@code _IOC_TYPE(request)}. */
    public static int type(long request) {
        return (int) ((request >>> TYPESHIFT) & ((1 << TYPEBITS) - 1));
    }

    /** {@code _IOC_NR(request)}. */
    public static int nr(long request) {
        return (int) ((request >>> NRSHIFT) & ((1 << NRBITS) - 1));
    }

    /** {@code _IOC_SIZE(request)}: the argument struct size in bytes. */
    public static int size(long request) {
        return (int) ((request >>> SIZESHIFT) & ((1 << SIZEBITS) - 1));
    }

    /** "0xc0186440" style, as strace and the reference notes print request numbers. */
    public static String hex(long request) {
        return String.format("0x%08x", request);
    }

    private static void check(String what, int value, int bits) {
        if (value < 0 || value >= (1 << bits)) {
            throw new IllegalArgumentException("ioctl " + what + " " + value + " does not fit "
                    + bits + " bits");
        }
    }
}
