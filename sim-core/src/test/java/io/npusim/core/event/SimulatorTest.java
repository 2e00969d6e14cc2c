package io.npusim.core.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimulatorTest {
    @Test
    void schedulingInThePastThrows() {
        Simulator sim = new Simulator();
        sim.schedule(1_000, Priority.USER, (p, a) -> {});
        sim.run();
        assertThat(sim.now()).isEqualTo(1_000);
        assertThatThrownBy(() -> sim.schedule(999, Priority.USER, (p, a) -> {}))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("past");
        assertThatThrownBy(() -> sim.scheduleIn(-1, Priority.USER, (p, a) -> {})).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void runUntilStopsAtTheBoundaryAndAdvancesTheClock() {
        Simulator sim = new Simulator();
        List<Long> seen = new ArrayList<>();
        EventHandler h = (p, a) -> seen.add(a);
        sim.schedule(10, Priority.USER, h, null, 1);
        sim.schedule(20, Priority.USER, h, null, 2);
        sim.schedule(21, Priority.USER, h, null, 3);
        sim.runUntil(20);
        assertThat(seen).containsExactly(1L, 2L);
        assertThat(sim.now()).isEqualTo(20);
        sim.runUntil(100);
        assertThat(seen).containsExactly(1L, 2L, 3L);
        assertThat(sim.now()).isEqualTo(100);
        assertThat(sim.events()).isEqualTo(3);
    }

    @Test
    void handlersCanScheduleAtTheSameInstantAndPriorityOrdersThem() {
        Simulator sim = new Simulator();
        List<String> seen = new ArrayList<>();
        sim.schedule(5, Priority.KERNEL, (p, a) -> {
            seen.add("kernel");
            sim.schedule(sim.now(), Priority.USER, (p2, a2) -> seen.add("user"));
            sim.schedule(sim.now(), Priority.INTERRUPT, (p2, a2) -> seen.add("irq"));
        });
        sim.run();
        assertThat(seen).containsExactly("kernel", "irq", "user");
    }

    @Test
    void cancelledEventsDoNotRun() {
        Simulator sim = new Simulator();
        List<Long> seen = new ArrayList<>();
        long h = sim.schedule(10, Priority.USER, (p, a) -> seen.add(a), null, 7);
        assertThat(sim.cancel(h)).isTrue();
        sim.run();
        assertThat(seen).isEmpty();
    }

    @Test
    void stopReturnsAfterTheCurrentEvent() {
        Simulator sim = new Simulator();
        List<Long> seen = new ArrayList<>();
        sim.schedule(1, Priority.USER, (p, a) -> {
            seen.add(a);
            sim.stop();
        }, null, 1);
        sim.schedule(2, Priority.USER, (p, a) -> seen.add(a), null, 2);
        sim.run();
        assertThat(seen).containsExactly(1L);
        assertThat(sim.pending()).isEqualTo(1);
    }
}
