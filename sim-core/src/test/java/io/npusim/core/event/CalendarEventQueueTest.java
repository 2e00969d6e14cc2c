package io.npusim.core.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class CalendarEventQueueTest {
    private static final EventHandler NOP = (p, a) -> {};

    private static List<Long> drainArgs(EventQueue q) {
        List<Long> out = new ArrayList<>();
        EventCursor c = new EventCursor();
        while (!q.isEmpty()) {
            q.pop(c);
            out.add(c.arg());
        }
        return out;
    }

    @Test
    void ordersByTimeThenPriorityThenInsertion() {
        CalendarEventQueue q = new CalendarEventQueue();
        q.schedule(100, Priority.USER, NOP, null, 1);
        q.schedule(100, Priority.HARDWARE, NOP, null, 2);
        q.schedule(50, Priority.END, NOP, null, 3);
        q.schedule(100, Priority.USER, NOP, null, 4);
        q.schedule(100, Priority.HARDWARE, NOP, null, 5);
        assertThat(drainArgs(q)).containsExactly(3L, 2L, 5L, 1L, 4L);
    }

    @Test
    void cancelRemovesAtOnceAndStaleHandlesAreHarmless() {
        CalendarEventQueue q = new CalendarEventQueue(16);
        long a = q.schedule(10, 0, NOP, null, 1);
        long b = q.schedule(20, 0, NOP, null, 2);
        q.schedule(30, 0, NOP, null, 3);
        assertThat(q.cancel(b)).isTrue();
        assertThat(q.size()).isEqualTo(2);
        assertThat(q.cancel(b)).isFalse();
        EventCursor c = new EventCursor();
        q.pop(c);
        assertThat(c.arg()).isEqualTo(1);
        // slot of a is reused by the next schedule; the old handle must not cancel the new event
        long d = q.schedule(5, 0, NOP, null, 4);
        assertThat(q.cancel(a)).isFalse();
        assertThat(q.size()).isEqualTo(2);
        assertThat(drainArgs(q)).containsExactly(4L, 3L);
        assertThat(q.cancel(d)).isFalse();
    }

    @Test
    void anEventEarlierThanAPeekedHeadIsStillDispatchedFirst() {
        CalendarEventQueue q = new CalendarEventQueue(16);
        q.schedule(1_000_000_000L, 0, NOP, null, 1); // far: the cursor walks forward to find it
        assertThat(q.peekTimePs()).isEqualTo(1_000_000_000L);
        q.schedule(5, 0, NOP, null, 2); // earlier than where the cursor now stands
        assertThat(q.peekTimePs()).isEqualTo(5);
        assertThat(drainArgs(q)).containsExactly(2L, 1L);
    }

    @Test
    void keepsOrderAcrossResizesAndWidelySpreadTimes() {
        CalendarEventQueue q = new CalendarEventQueue(16);
        PriorityQueueEventQueue ref = new PriorityQueueEventQueue();
        java.util.Random r = new java.util.Random(9);
        for (int i = 0; i < 5_000; i++) {
            // mixes same-instant, microsecond, millisecond and second scales, as a run does
            long t = switch (i % 4) {
                case 0 -> 1_000;
                case 1 -> r.nextInt(1_000_000);
                case 2 -> r.nextInt(1_000_000_000);
                default -> 1_000_000_000_000L + r.nextInt(1000);
            };
            q.schedule(t, i % 5, NOP, null, i);
            ref.schedule(t, i % 5, NOP, null, i);
        }
        EventCursor a = new EventCursor(), b = new EventCursor();
        // interleave pops and new schedules so the queue shrinks and grows again
        for (int i = 0; i < 20_000; i++) {
            if (!q.isEmpty() && (i % 3 != 0 || q.size() > 3_000)) {
                q.pop(a);
                ref.pop(b);
                assertThat(a.arg()).isEqualTo(b.arg());
            } else {
                long t = (q.isEmpty() ? 0 : q.peekTimePs()) + r.nextInt(1 << (i % 30));
                q.schedule(t, i % 3, NOP, null, 100_000 + i);
                ref.schedule(t, i % 3, NOP, null, 100_000 + i);
            }
        }
        assertThat(drainArgs(q)).isEqualTo(drainArgs(ref));
    }

    @Test
    void rejectsPriorityOutOfRange() {
        CalendarEventQueue q = new CalendarEventQueue();
        assertThatThrownBy(() -> q.schedule(0, 128, NOP, null, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> q.schedule(0, -1, NOP, null, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void manyCancellationsAreSweptAndOrderSurvives() {
        CalendarEventQueue q = new CalendarEventQueue(16);
        List<Long> handles = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) handles.add(q.schedule(1_000_000 + i, 0, NOP, null, i));
        for (int i = 0; i < 10_000; i++) if (i % 10 != 0) assertThat(q.cancel(handles.get(i))).isTrue();
        assertThat(q.size()).isEqualTo(1_000);
        List<Long> got = drainArgs(q);
        assertThat(got).hasSize(1_000);
        for (int i = 0; i < got.size(); i++) assertThat(got.get(i)).isEqualTo(10L * i);
    }

    @Test
    void sequenceExhaustionRenumbersWithoutChangingOrder() {
        CalendarEventQueue q = new CalendarEventQueue(16);
        q.schedule(5, 1, NOP, null, 1);
        q.schedule(5, 0, NOP, null, 2);
        q.skipSequenceTo(1L << 34);
        q.schedule(5, 1, NOP, null, 3);
        q.schedule(5, 0, NOP, null, 4);
        q.schedule(4, 1, NOP, null, 5);
        assertThat(drainArgs(q)).containsExactly(5L, 2L, 4L, 1L, 3L);
    }

    @Test
    void growsPastInitialCapacityAndKeepsOrder() {
        CalendarEventQueue q = new CalendarEventQueue(16);
        for (int i = 999; i >= 0; i--) q.schedule(i / 10, i % 3, NOP, null, i);
        List<Long> got = drainArgs(q);
        assertThat(got).hasSize(1000);
        // events with equal time sort by priority, then insertion (descending i inserted first)
        assertThat(got.subList(0, 10)).containsExactly(9L, 6L, 3L, 0L, 7L, 4L, 1L, 8L, 5L, 2L);
    }

    /** Random schedule/cancel/pop sequences give the same order as the PriorityQueue reference. */
    @Property(tries = 300)
    void sameOrderAsReference(@ForAll @Size(min = 1, max = 400) List<@IntRange(min = 0, max = 99) Integer> ops,
                              @ForAll @LongRange(min = 0, max = 1000) long seed) {
        EventQueue a = new CalendarEventQueue(16);
        EventQueue b = new PriorityQueueEventQueue();
        List<long[]> handles = new ArrayList<>();
        EventCursor ca = new EventCursor(), cb = new EventCursor();
        java.util.Random r = new java.util.Random(seed);
        long now = 0;
        long tag = 0;
        for (int op : ops) {
            if (op < 55) {
                long t = now + r.nextInt(50);
                int prio = r.nextInt(4);
                handles.add(new long[] {a.schedule(t, prio, NOP, null, tag), b.schedule(t, prio, NOP, null, tag)});
                tag++;
            } else if (op < 75 && !handles.isEmpty()) {
                long[] h = handles.remove(r.nextInt(handles.size()));
                assertThat(a.cancel(h[0])).isEqualTo(b.cancel(h[1]));
            } else if (!a.isEmpty()) {
                assertThat(a.peekTimePs()).isEqualTo(b.peekTimePs());
                a.pop(ca);
                b.pop(cb);
                assertThat(ca.arg()).isEqualTo(cb.arg());
                assertThat(ca.timePs()).isEqualTo(cb.timePs());
                now = ca.timePs();
            }
            assertThat(a.size()).isEqualTo(b.size());
        }
        assertThat(drainArgs(a)).isEqualTo(drainArgs(b));
    }

    @Test
    void bothImplementationsAgreeOnALargeRandomRun() {
        Supplier<List<Long>> run = () -> new ArrayList<>();
        EventQueue a = new CalendarEventQueue(16);
        EventQueue b = new PriorityQueueEventQueue();
        java.util.Random r = new java.util.Random(42);
        for (int i = 0; i < 20_000; i++) {
            long t = r.nextInt(5_000);
            int p = r.nextInt(3);
            a.schedule(t, p, NOP, null, i);
            b.schedule(t, p, NOP, null, i);
        }
        assertThat(drainArgs(a)).isEqualTo(drainArgs(b));
        assertThat(run.get()).isEmpty();
    }
}
