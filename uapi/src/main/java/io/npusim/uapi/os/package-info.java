/** The process side of the syscall boundary: threads, CPU work, mappings, open/ioctl/mmap/close. */
package io.npusim.uapi.os;
