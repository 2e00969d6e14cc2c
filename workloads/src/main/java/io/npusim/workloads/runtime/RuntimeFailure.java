package io.npusim.workloads.runtime;

/**
 * Why a runtime could not load or run a model (a buffer that does not fit the policy's address
 * space, an ioctl that failed). Reported with numbers, never thrown past the client.
 *
 * @param bytesAvailable the limit the runtime knows of (0 when it knows none)
 * @param bytesHeld what the runtime had allocated when the call failed
 */
public record RuntimeFailure(String what, String call, int errno, long bytesWanted, long bytesAvailable, long bytesHeld) {
    public RuntimeFailure(String what, String call, int errno, long bytesWanted, long bytesAvailable) {
        this(what, call, errno, bytesWanted, bytesAvailable, 0);
    }

    /** One line, without the client's name (the presenter adds it). */
    public String message() {
        String e = io.npusim.uapi.Errno.name(errno);
        StringBuilder size = new StringBuilder();
        if (bytesWanted > 0) {
            size.append(String.format(" (%,d bytes wanted", bytesWanted));
            if (bytesAvailable > 0) size.append(String.format(", %,d available", bytesAvailable));
            if (bytesHeld > 0) size.append(String.format(", %,d already allocated", bytesHeld));
            size.append(')');
        }
        return call + " failed with " + e + size;
    }
}
