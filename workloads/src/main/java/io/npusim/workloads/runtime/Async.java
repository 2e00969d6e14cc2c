package io.npusim.workloads.runtime;

import java.util.List;
import java.util.function.Consumer;

/** Continuation helpers: runtimes are sequences of asynchronous actions. */
public final class Async {
    /** An action that calls {@code next} when it is done (always later, never re-entrantly). */
    @FunctionalInterface
    public interface Action {
        void run(Runnable next);
    }

    private Async() {}

    /** Runs actions one after another, then {@code done}. */
    public static void sequence(List<Action> actions, Runnable done) {
        step(actions, 0, done);
    }

    private static void step(List<Action> actions, int i, Runnable done) {
        if (i == actions.size()) {
            done.run();
            return;
        }
        actions.get(i).run(() -> step(actions, i + 1, done));
    }

    /** Runs {@code body(i, next)} for i in [0, n) one after another. */
    public static void loop(int n, IndexedAction body, Runnable done) {
        loopFrom(0, n, body, done);
    }

    private static void loopFrom(int i, int n, IndexedAction body, Runnable done) {
        if (i >= n) {
            done.run();
            return;
        }
        body.run(i, () -> loopFrom(i + 1, n, body, done));
    }

    @FunctionalInterface
    public interface IndexedAction {
        void run(int i, Runnable next);
    }

    /** Runs all actions at once and calls {@code done} when every one finished. */
    public static void all(List<Action> actions, Runnable done) {
        if (actions.isEmpty()) {
            done.run();
            return;
        }
        int[] left = {actions.size()};
        for (Action a : actions) {
            a.run(() -> {
                if (--left[0] == 0) done.run();
            });
        }
    }

    /** A value delivered later. */
    @FunctionalInterface
    public interface Value<T> {
        void get(Consumer<T> then);
    }
}
