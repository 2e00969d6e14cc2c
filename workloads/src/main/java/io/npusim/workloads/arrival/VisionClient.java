package io.npusim.workloads.arrival;

import io.npusim.core.account.Attribution;
import io.npusim.core.random.RngStream;
import io.npusim.core.time.Time;
import io.npusim.uapi.os.UserThread;
import io.npusim.workloads.runtime.VisionRuntime;

/**
 * A vision (or audio-window) client. Closed loop: the next inference starts when the previous
 * one finished (after an optional think time). Periodic (camera): frames arrive every period
 * with uniform jitter; a frame that arrives while the previous one still runs is dropped; a frame
 * whose latency exceeds the deadline counts as a miss. What an inference's latency covers is the
 * scope: {@code RUN} (the run call only), {@code RUN_AND_OUTPUTS} (also fetching outputs) or
 * {@code FRAME} (from arrival: inputs, run, outputs).
 */
public final class VisionClient implements Client {
    public enum Scope { RUN, RUN_AND_OUTPUTS, FRAME }

    /** Arrival pattern of a vision client. */
    public record Pattern(boolean periodic, long periodPs, long jitterPs, long deadlinePs, boolean dropIfBusy, long thinkPs) {
        public static Pattern closedLoop(long thinkPs) {
            return new Pattern(false, 0, 0, 0, false, thinkPs);
        }

        public static Pattern camera(double fps, double jitterMs, double deadlineMs, boolean dropIfBusy) {
            return new Pattern(true, Time.fromSeconds(1.0 / fps), Time.fromMs(jitterMs), Time.fromMs(deadlineMs), dropIfBusy, 0);
        }
    }

    private final String name;
    private final UserThread thread;
    private final VisionRuntime runtime;
    private final Pattern pattern;
    private final Scope scope;
    private final RngStream rng;
    private final ClientStats stats;
    private long endPs;
    private boolean busy;
    private long frame;
    private int warmup;
    private RequestListener requestListener;
    private long[] arrivals;
    private int nextArrival;

    public VisionClient(String name, String kind, String model, UserThread thread, VisionRuntime runtime, Pattern pattern,
                        Scope scope, RngStream rng) {
        this.name = name;
        this.thread = thread;
        this.runtime = runtime;
        this.pattern = pattern;
        this.scope = scope;
        this.rng = rng;
        this.stats = new ClientStats(name, kind, model);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ClientStats stats() {
        return stats;
    }

    /** Runs {@code n} inferences first without recording them (benchmark warm-up). */
    public VisionClient withWarmup(int n) {
        this.warmup = n;
        return this;
    }

    public VisionRuntime runtime() {
        return runtime;
    }

    @Override
    public void setRequestListener(RequestListener l) {
        this.requestListener = l;
    }

    /**
     * Frames arrive at these times instead of every period with jitter (a workload trace replayed):
     * a periodic client only; the last frame is the last arrival before the end of the run.
     */
    public VisionClient withArrivals(long[] arrivalsPs) {
        this.arrivals = arrivalsPs.clone();
        return this;
    }

    @Override
    public void start(long endPs) {
        this.endPs = endPs;
        runtime.load(() -> {
            if (runtime.failure() != null) {
                stats.fail(runtime.failure().message());
                return;
            }
            if (pattern.periodic()) {
                scheduleFrame(thread.now());
            } else {
                next();
            }
        });
    }

    private void scheduleFrame(long nominalPs) {
        long at;
        if (arrivals != null) {
            if (nextArrival >= arrivals.length) return;
            at = Math.max(thread.now(), arrivals[nextArrival++]);
        } else {
            long jitter = pattern.jitterPs() > 0 ? rng.uniform(-pattern.jitterPs(), pattern.jitterPs()) : 0;
            at = Math.max(thread.now(), nominalPs + jitter);
        }
        if (at >= endPs) return;
        thread.sleepUntil(at, () -> {
            scheduleFrame(nominalPs + pattern.periodPs());
            frame++;
            if (requestListener != null) requestListener.arrived(name, thread.now(), 0, 0);
            if (busy && pattern.dropIfBusy()) {
                stats.drop();
                return;
            }
            infer(thread.now());
        });
    }

    private void next() {
        if (thread.now() >= endPs) return;
        if (requestListener != null) requestListener.arrived(name, thread.now(), 0, 0);
        infer(thread.now());
    }

    /** One inference; the request's clock starts at {@code arrivalPs}. */
    private void infer(long arrivalPs) {
        busy = true;
        Attribution frameReq = new Attribution(arrivalPs);
        if (scope == Scope.FRAME) thread.setRequest(frameReq);
        runtime.setInputs(() -> {
            long runStart = thread.now();
            Attribution runReq = scope == Scope.FRAME ? frameReq : new Attribution(runStart);
            thread.setRequest(runReq);
            runtime.run(() -> {
                if (runtime.failure() != null) {
                    stats.fail(runtime.failure().message());
                    busy = false;
                    thread.setRequest(null);
                    return; // a failed run stops the client, as an application would
                }
                if (scope == Scope.RUN) finish(runReq, runStart);
                runtime.getOutputs(() -> {
                    if (scope != Scope.RUN) finish(runReq, scope == Scope.FRAME ? arrivalPs : runStart);
                    thread.setRequest(null);
                    busy = false;
                    if (!pattern.periodic()) {
                        if (pattern.thinkPs() > 0) thread.sleepUntil(thread.now() + pattern.thinkPs(), this::next);
                        else next();
                    }
                });
            });
        });
    }

    private void finish(Attribution req, long startPs) {
        long now = thread.now();
        long[] parts = req.finish(now);
        if (warmup > 0) {
            warmup--;
            return;
        }
        long lat = now - startPs;
        stats.complete(startPs, lat, parts);
        if (pattern.periodic() && pattern.deadlinePs() > 0 && lat > pattern.deadlinePs()) stats.deadlineMiss();
    }
}
