/** The modelled OS: processes, threads, file descriptors, system-call dispatch, kernel CPU work. */
package io.npusim.kernel.os;
