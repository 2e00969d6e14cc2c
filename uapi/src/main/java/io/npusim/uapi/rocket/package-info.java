/**
 * UAPI of the upstream {@code rocket} accel driver (Linux 6.18+,
 * {@code include/uapi/drm/rocket_accel.h}): CREATE_BO, SUBMIT, PREP_BO, FINI_BO, and the job and
 * task structs that SUBMIT points to. BOs are freed with the generic
 * {@link io.npusim.uapi.drm.GemClose}.
 *
 * <p>Integer convention: a {@code __u32} that is a byte size or an address is a {@code long}
 * checked to fit 32 bits; every other {@code __u32} (handle, count, stride) is an {@code int}
 * holding the raw 32 bits, read unsigned with {@link Integer#toUnsignedLong}.
 */
package io.npusim.uapi.rocket;
