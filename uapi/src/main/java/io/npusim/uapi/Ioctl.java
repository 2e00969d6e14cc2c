package io.npusim.uapi;

/**
 * An ioctl argument struct as a value. Each driver's UAPI package declares a sealed family of
 * records implementing this; the kernel returns the struct with its out-fields filled in.
 */
public interface Ioctl {
    /** The ioctl's name as in the C header, e.g. "DRM_IOCTL_ROCKET_SUBMIT". */
    String name();

    /** The encoded request number passed to ioctl(2), e.g. 0x40186441. */
    long request();
}
