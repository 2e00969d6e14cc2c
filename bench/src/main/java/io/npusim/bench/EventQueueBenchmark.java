package io.npusim.bench;

import io.npusim.core.event.EventCursor;
import io.npusim.core.event.EventHandler;
import io.npusim.core.event.EventQueue;
import io.npusim.core.event.CalendarEventQueue;
import io.npusim.core.event.PriorityQueueEventQueue;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Steady-state hold model of a discrete-event queue: each operation dispatches the head event and
 * schedules its successor a random delay later (one schedule+dispatch pair). One operation in four
 * also arms a far-future timeout and cancels the one armed 16 timeouts ago, as drivers do with
 * job timers. The pending count stays at {@code pending}. Both queues see the same numbers.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EventQueueBenchmark {
    private static final EventHandler NOP = (p, a) -> {};
    private static final int RANDOMS = 1 << 16;
    private static final int TIMEOUT_RING = 16;

    @Param({"1000", "1000000"})
    public int pending;

    @Param({"calendar", "java.util.PriorityQueue"})
    public String queue;

    private EventQueue q;
    private final EventCursor cursor = new EventCursor();
    private long[] delays;
    private int[] prios;
    private int idx;
    private long[] timeouts;
    private int op;

    @Setup(Level.Trial)
    public void setUp() {
        q = queue.equals("calendar") ? new CalendarEventQueue(pending * 2) : new PriorityQueueEventQueue();
        SplittableRandom r = new SplittableRandom(1);
        delays = new long[RANDOMS];
        prios = new int[RANDOMS];
        // Exponential-ish spread of delays around the mean gap of a busy simulation.
        for (int i = 0; i < RANDOMS; i++) {
            delays[i] = 1 + (long) (-Math.log(1 - r.nextDouble()) * pending * 1000);
            prios[i] = 10 + r.nextInt(4) * 10;
        }
        for (int i = 0; i < pending; i++) q.schedule(delays[i & (RANDOMS - 1)], prios[i & (RANDOMS - 1)], NOP, null, i);
        timeouts = new long[TIMEOUT_RING];
        long far = Long.MAX_VALUE / 4;
        for (int i = 0; i < TIMEOUT_RING; i++) timeouts[i] = q.schedule(far + i, 30, NOP, null, -1);
    }

    @Benchmark
    public long scheduleAndDispatch() {
        EventQueue queue = q;
        queue.pop(cursor);
        int i = idx = (idx + 1) & (RANDOMS - 1);
        long t = cursor.timePs();
        queue.schedule(t + delays[i], prios[i], NOP, null, i);
        if ((++op & 3) == 0) {
            int slot = (op >>> 2) & (TIMEOUT_RING - 1);
            queue.cancel(timeouts[slot]);
            timeouts[slot] = queue.schedule(t + Long.MAX_VALUE / 4, 30, NOP, null, -1);
        }
        return t;
    }
}
