package io.npusim.uapi;

/**
 * Linux errno values (asm-generic/errno-base.h, errno.h, and the kernel-internal ERESTARTSYS).
 * Kernel paths return them negated, as the kernel does.
 */
public final class Errno {
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int EINTR = 4;
    public static final int EIO = 5;
    public static final int EBADF = 9;
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int EACCES = 13;
    public static final int EFAULT = 14;
    public static final int EBUSY = 16;
    public static final int EEXIST = 17;
    public static final int ENODEV = 19;
    public static final int EINVAL = 22;
    public static final int EMFILE = 24;
    public static final int ENOTTY = 25;
    public static final int ENOSPC = 28;
    public static final int ERANGE = 34;
    /** Timer expired (drm_syncobj_wait and the proposed WAIT return it, not -ETIMEDOUT). */
    public static final int ETIME = 62;
    public static final int EOVERFLOW = 75;
    public static final int ETIMEDOUT = 110;
    public static final int ECANCELED = 125;
    /** Kernel-internal: a sleep was interrupted by a signal; never seen by userspace. */
    public static final int ERESTARTSYS = 512;

    private Errno() {}

    /** Symbolic name of a (positive or negative) errno, e.g. "EINVAL"; "0" for success. */
    public static String name(int errno) {
        int e = Math.abs(errno);
        return switch (e) {
            case 0 -> "0";
            case EPERM -> "EPERM";
            case ENOENT -> "ENOENT";
            case EINTR -> "EINTR";
            case EIO -> "EIO";
            case EBADF -> "EBADF";
            case EAGAIN -> "EAGAIN";
            case ENOMEM -> "ENOMEM";
            case EACCES -> "EACCES";
            case EFAULT -> "EFAULT";
            case EBUSY -> "EBUSY";
            case EEXIST -> "EEXIST";
            case ENODEV -> "ENODEV";
            case EINVAL -> "EINVAL";
            case EMFILE -> "EMFILE";
            case ENOTTY -> "ENOTTY";
            case ENOSPC -> "ENOSPC";
            case ERANGE -> "ERANGE";
            case ETIME -> "ETIME";
            case EOVERFLOW -> "EOVERFLOW";
            case ETIMEDOUT -> "ETIMEDOUT";
            case ECANCELED -> "ECANCELED";
            case ERESTARTSYS -> "ERESTARTSYS";
            default -> "E" + e;
        };
    }

    /** Parses a symbolic name back (for traces); -1 when unknown. */
    public static int parse(String name) {
        for (int e = 1; e <= 600; e++) {
            if (name(e).equals(name)) return e;
        }
        return -1;
    }
}
