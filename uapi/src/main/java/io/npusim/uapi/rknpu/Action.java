package io.npusim.uapi.rknpu;

import io.npusim.uapi.codec.CStruct;
import io.npusim.uapi.codec.Codec;
import java.util.Optional;

/**
 * {@code struct rknpu_action} for {@code DRM_IOCTL_RKNPU_ACTION} (rknpu_ioctl.h): a GET, SET or
 * ACT request selected by {@code flags}.
 *
 * <pre>
 * struct rknpu_action {  // 8 bytes
 *     __u32 flags;       // 0  action code, see ActionCode
 *     __u32 value;       // 4  in for SET, out for GET
 * };
 * </pre>
 *
 * @param flags the action code (raw; an unknown code is the kernel's -EINVAL to give)
 * @param value the SET argument or the GET result
 */
public record Action(int flags, int value) implements RknpuIoctl {
    public static final int SIZE = 8;
    /** 0xc0086440. */
    public static final long REQUEST = RknpuIoctl.drmRequest(RKNPU_ACTION, SIZE);

    public static final Codec<Action> CODEC = CStruct.codec("rknpu_action", SIZE,
            (v, w) -> w.u32(0, v.flags).u32(4, v.value),
            r -> new Action(r.u32(0), r.u32(4)));

    public static Action of(ActionCode code, int value) {
        return new Action(code.code(), value);
    }

    public static Action get(ActionCode code) {
        return of(code, 0);
    }

    /** The code as a known action, or empty for a value outside the 0.9.8 enum. */
    public Optional<ActionCode> code() {
        return ActionCode.fromCode(flags);
    }

    /** The struct as the kernel writes it back (GET results). */
    public Action withValue(int value) {
        return new Action(flags, value);
    }

    @Override
    public String name() {
        return "DRM_IOCTL_RKNPU_ACTION";
    }

    @Override
    public long request() {
        return REQUEST;
    }
}
