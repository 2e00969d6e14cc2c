package io.npusim.kernel.os;

/** A {@code struct file} of a device: its process, its driver state (the drm_file and driver private). */
public final class OpenFile {
    private final long id;
    private final CharDevice device;
    private final SimProcess process;
    private final Object state;

    OpenFile(long id, CharDevice device, SimProcess process, Object state) {
        this.id = id;
        this.device = device;
        this.process = process;
        this.state = state;
    }

    public long id() {
        return id;
    }

    public CharDevice device() {
        return device;
    }

    public SimProcess process() {
        return process;
    }

    @SuppressWarnings("unchecked")
    public <T> T state() {
        return (T) state;
    }
}
