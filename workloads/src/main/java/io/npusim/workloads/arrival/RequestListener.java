package io.npusim.workloads.arrival;

/**
 * Told of every request a client's arrival process produces, before the client decides what to do
 * with it (a dropped camera frame is still an arrival): the driver-neutral part of a workload,
 * which the trace recorder writes as the workload level of a trace.
 */
@FunctionalInterface
public interface RequestListener {
    /**
     * A request arrived at {@code arrivalPs}: a camera frame or closed-loop inference (tokens 0),
     * a chat turn (its prompt and answer tokens) or an audio window (answer tokens: decoder steps).
     */
    void arrived(String client, long arrivalPs, int promptTokens, int answerTokens);
}
