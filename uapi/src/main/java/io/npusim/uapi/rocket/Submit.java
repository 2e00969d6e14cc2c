package io.npusim.uapi.rocket;

import io.npusim.uapi.codec.CStruct;
import io.npusim.uapi.codec.Codec;
import io.npusim.uapi.codec.IoctlNumber;
import io.npusim.uapi.codec.UserArray;
import java.util.Objects;

/**
 * {@code struct drm_rocket_submit} for
 * {@code DRM_IOCTL_ROCKET_SUBMIT = DRM_IOW(DRM_COMMAND_BASE + 0x01, ...)}
 * (include/uapi/drm/rocket_accel.h). No out-fields: the ioctl returns nothing but its status
 * (and rocket_job.c returns 0 even when individual jobs are rejected).
 *
 * <pre>
 * struct drm_rocket_submit {  // 24 bytes
 *     __u64 jobs;             // 0  user ptr to drm_rocket_job[]
 *     __u32 job_count;        // 8
 *     __u32 job_struct_size;  // 12 stride of jobs[], >= 40
 *     __u64 reserved;         // 16 must be 0 (-EINVAL otherwise)
 * };
 * </pre>
 */
public record Submit(UserArray<RocketJob> jobs, int jobCount, int jobStructSize, long reserved)
        implements RocketIoctl {
    public static final int SIZE = 24;
    /** 0x40186441. */
    public static final long REQUEST =
            IoctlNumber.drmIow(IoctlNumber.DRM_COMMAND_BASE + DRM_ROCKET_SUBMIT, SIZE);

    public static final Codec<Submit> CODEC = CStruct.codec("drm_rocket_submit", SIZE,
            (v, w) -> w.u64(0, v.jobs.address()).u32(8, v.jobCount).u32(12, v.jobStructSize)
                    .u64(16, v.reserved),
            r -> new Submit(UserArray.pointer(r.u64(0)), r.u32(8), r.u32(12), r.u64(16)));

    public Submit {
        Objects.requireNonNull(jobs, "jobs");
    }

    /** A well-formed submit: count from the array, stride {@link RocketJob#SIZE}, reserved 0. */
    public static Submit of(UserArray<RocketJob> jobs) {
        return new Submit(jobs, jobs.items().size(), RocketJob.SIZE, 0);
    }

    /** The submit as its bytes carry it: the jobs pointer only. */
    public Submit pointersOnly() {
        return new Submit(jobs.pointerOnly(), jobCount, jobStructSize, reserved);
    }

    @Override
    public String name() {
        return "DRM_IOCTL_ROCKET_SUBMIT";
    }

    @Override
    public long request() {
        return REQUEST;
    }
}
