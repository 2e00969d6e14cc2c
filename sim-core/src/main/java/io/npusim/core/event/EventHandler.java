package io.npusim.core.event;

/**
 * What runs when an event fires. A component keeps its handlers in final fields and passes a
 * payload and a long argument, so scheduling allocates nothing.
 */
@FunctionalInterface
public interface EventHandler {
    void onEvent(Object payload, long arg);
}
