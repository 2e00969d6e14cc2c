/**
 * C struct layouts in Java: a {@link io.npusim.uapi.codec.Codec} per struct that writes and reads
 * the exact little-endian bytes of the C layout (the RK3588 runs arm64 Linux, little-endian),
 * ioctl request-number encoding per {@code include/uapi/asm-generic/ioctl.h}, and
 * {@link io.npusim.uapi.codec.UserArray}, the value that stands for a {@code __u64} user pointer
 * to an array.
 */
package io.npusim.uapi.codec;
