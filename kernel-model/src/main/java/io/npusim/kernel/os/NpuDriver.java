package io.npusim.kernel.os;

/** What summaries and reports read from any NPU driver model, whichever the policy. */
public interface NpuDriver extends CharDevice {
    String policy();

    long jobsSubmitted();

    long jobsCompleted();

    long jobsErrored();

    /** Jobs the driver dropped without completing them (never signalled, or killed). */
    long jobsLost();

    /** Jobs queued or running per core, mean per 10 ms bucket. */
    double[] queueDepthSeries(int core);

    /** The driver's own per-core load figure where it has one (rknpu/load), else null. */
    default double[] driverLoadPct() {
        return null;
    }

    /** Peak bytes of system SRAM the driver handed out. */
    default long sramPeakBytes() {
        return 0;
    }
}
