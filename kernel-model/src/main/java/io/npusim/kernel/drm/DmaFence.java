package io.npusim.kernel.drm;

import java.util.ArrayList;
import java.util.List;

/**
 * A dma_fence: one point on a timeline (context, seqno) that signals once, possibly with an error.
 * Callbacks run in the signaller's context, in the order they were added.
 */
public final class DmaFence {
    private final long context;
    private final long seqno;
    private final String timeline;
    private boolean signaled;
    private int error;
    private long signaledAtPs = -1;
    private List<Runnable> callbacks;

    public DmaFence(long context, long seqno, String timeline) {
        this.context = context;
        this.seqno = seqno;
        this.timeline = timeline;
    }

    public long context() {
        return context;
    }

    public long seqno() {
        return seqno;
    }

    public String timeline() {
        return timeline;
    }

    public boolean isSignaled() {
        return signaled;
    }

    /** Negated errno carried by the fence (e.g. -ECANCELED), 0 on success. */
    public int error() {
        return error;
    }

    public long signaledAtPs() {
        return signaledAtPs;
    }

    /** dma_fence_set_error: only before signalling. */
    public void setError(int negErrno) {
        if (signaled) throw new IllegalStateException("error set on a signalled fence");
        error = negErrno;
    }

    /** Adds a callback; false (callback not added) when already signalled, as dma_fence_add_callback. */
    public boolean addCallback(Runnable cb) {
        if (signaled) return false;
        if (callbacks == null) callbacks = new ArrayList<>(2);
        callbacks.add(cb);
        return true;
    }

    /** Signals and runs the callbacks; false when it was already signalled. */
    public boolean signal(long nowPs) {
        if (signaled) return false;
        signaled = true;
        signaledAtPs = nowPs;
        if (callbacks != null) {
            List<Runnable> cbs = callbacks;
            callbacks = null;
            for (Runnable r : cbs) r.run();
        }
        return true;
    }

    public int pendingCallbacks() {
        return callbacks == null ? 0 : callbacks.size();
    }

    @Override
    public String toString() {
        return "DmaFence[" + timeline + " " + context + ":" + seqno + (signaled ? " signaled" : "") + (error != 0 ? " err " + error : "") + "]";
    }
}
