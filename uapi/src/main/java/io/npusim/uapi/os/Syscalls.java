package io.npusim.uapi.os;

import io.npusim.uapi.Ioctl;

/**
 * The system calls a runtime may make: the one boundary between workloads and the kernel. Every
 * call completes through its callback as a later event; return values follow the kernel: a
 * non-negative result, or a negated errno.
 */
public interface Syscalls {
    @FunctionalInterface
    interface IntResult {
        void done(int result);
    }

    @FunctionalInterface
    interface IoctlResult {
        /** {@code ret} is 0 or positive on success, a negated errno on failure; {@code out} holds the out-fields. */
        void done(int ret, Ioctl out);
    }

    @FunctionalInterface
    interface MmapResult {
        /** {@code mapping} is null when {@code ret} is a negated errno. */
        void done(int ret, UserMapping mapping);
    }

    void open(UserThread thread, String path, IntResult done);

    void close(UserThread thread, int fd, IntResult done);

    void ioctl(UserThread thread, int fd, Ioctl arg, IoctlResult done);

    void mmap(UserThread thread, int fd, long offset, long length, MmapResult done);
}
