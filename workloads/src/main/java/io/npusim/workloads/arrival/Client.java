package io.npusim.workloads.arrival;

/** A workload driver: issues requests to its runtime according to an arrival process. */
public interface Client {
    String name();

    /** Loads the runtime and starts issuing requests until {@code endPs}. */
    void start(long endPs);

    ClientStats stats();

    /** Tells {@code l} of every request this client's arrival process produces (trace recording). */
    default void setRequestListener(RequestListener l) {
    }
}
