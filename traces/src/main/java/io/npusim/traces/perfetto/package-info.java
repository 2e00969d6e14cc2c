/**
 * Chrome Trace Event / Perfetto JSON export: {@link io.npusim.traces.perfetto.ChromeTraceWriter}
 * streams a {@code trace.json} from {@link io.npusim.core.trace.TraceSink} calls, and
 * {@link io.npusim.traces.perfetto.TraceValidator} checks one (for tests across the project).
 */
package io.npusim.traces.perfetto;
