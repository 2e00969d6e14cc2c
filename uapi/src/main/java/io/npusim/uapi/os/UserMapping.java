package io.npusim.uapi.os;

/**
 * A CPU mapping of a buffer object (from mmap). Userspace writes what the hardware will read:
 * register-command streams and task descriptors are stored as typed values at byte offsets,
 * standing for the bytes a real runtime would write.
 */
public interface UserMapping {
    long length();

    void put(long offset, Object content);

    Object get(long offset);
}
