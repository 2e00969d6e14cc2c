package io.npusim.workloads.runtime;

/**
 * Why a runtime could not load or run a model (a buffer that does not fit the policy's address
 * space, an ioctl that failed). Reported with numbers, never thrown past the client.
 */
public record RuntimeFailure(String what, String call, int errno, long bytesWanted, long bytesAvailable) {
    public String message() {
        String e = io.npusim.uapi.Errno.name(errno);
        String size = bytesWanted > 0 ? String.format(" (%,d bytes wanted, %,d available)", bytesWanted, bytesAvailable) : "";
        return what + ": " + call + " failed with " + e + size;
    }
}
