package io.npusim.kernel.os;

import io.npusim.uapi.Ioctl;
import io.npusim.uapi.os.Syscalls;

/** A driver behind a device node: the file operations the kernel dispatches to. */
public interface CharDevice {
    String path();

    /** Opens the device; calls {@code done} with the driver's per-file state, or a negated errno via {@code error}. */
    void open(SyscallContext c, OpenResult done);

    void ioctl(SyscallContext c, OpenFile f, Ioctl arg, Syscalls.IoctlResult done);

    void mmap(SyscallContext c, OpenFile f, long offset, long length, Syscalls.MmapResult done);

    /** The last reference to the file went away. */
    void release(SyscallContext c, OpenFile f, Runnable done);

    interface OpenResult {
        void opened(Object driverState);

        void failed(int negErrno);
    }
}
