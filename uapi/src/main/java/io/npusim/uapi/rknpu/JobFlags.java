package io.npusim.uapi.rknpu;

/**
 * {@code enum e_rknpu_job_mode} (rknpu_ioctl.h 0.9.8), the bits of {@code rknpu_submit.flags}.
 * SLAVE and BLOCK are the zero defaults of their bits. Only PC mode is implemented: a job without
 * {@link #PC} fails with -EINVAL in rknpu_job_subcore_commit.
 */
public final class JobFlags {
    public static final int SLAVE = 0;
    public static final int PC = 1 << 0;
    public static final int BLOCK = 0;
    public static final int NONBLOCK = 1 << 1;
    public static final int PINGPONG = 1 << 2;
    public static final int FENCE_IN = 1 << 3;
    public static final int FENCE_OUT = 1 << 4;
    /** {@code RKNPU_JOB_MASK}: every defined bit. */
    public static final int MASK = PC | NONBLOCK | PINGPONG | FENCE_IN | FENCE_OUT;

    private JobFlags() {}
}
