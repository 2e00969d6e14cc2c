/** The trace-sink interface components report to; the Chrome/Perfetto writer lives in the traces module. */
package io.npusim.core.trace;
