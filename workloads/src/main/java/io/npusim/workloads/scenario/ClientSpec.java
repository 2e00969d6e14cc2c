package io.npusim.workloads.scenario;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One client of a scenario: a process running one model under an arrival process.
 *
 * @param coreMask rknpu-style core mask (0 = AUTO); rocket ignores it, proposed limits the context to it
 * @param klass scheduling class where a policy has classes (latency, throughput, background)
 * @param replicas identical processes (each its own open file), numbered name-0, name-1, ...
 * @param placement with replicas: per-core (replica i uses core 1 << (i mod 3)) or shared
 * @param scope what a request's latency covers: run, run_and_outputs or frame (default: frame for
 *     periodic clients, run for closed loops)
 * @param input a vision model's input shape [1, 3, H, W] (default: the zoo's)
 */
public record ClientSpec(
        @JsonProperty(value = "name", required = true) String name,
        @JsonProperty(value = "model", required = true) String model,
        @JsonProperty("dtype") String dtype,
        @JsonProperty(value = "arrival", required = true) Arrival arrival,
        @JsonProperty("core_mask") Integer coreMask,
        @JsonProperty("class") String klass,
        @JsonProperty("replicas") Integer replicas,
        @JsonProperty("placement") String placement,
        @JsonProperty("scope") String scope,
        @JsonProperty("input") java.util.List<Integer> input) {

    public int mask() {
        return coreMask == null ? 0 : coreMask;
    }

    public int count() {
        return replicas == null ? 1 : replicas;
    }

    public String schedClass() {
        return klass == null ? "throughput" : klass;
    }

    public ClientSpec withModel(String m) {
        return new ClientSpec(name, m, dtype, arrival, coreMask, klass, replicas, placement, scope, input);
    }

    public ClientSpec withReplicas(int n, String place) {
        return new ClientSpec(name, model, dtype, arrival, coreMask, klass, n, place, scope, input);
    }

    public ClientSpec withCoreMask(int m) {
        return new ClientSpec(name, model, dtype, arrival, m, klass, replicas, placement, scope, input);
    }

    public ClientSpec withScope(String s) {
        return new ClientSpec(name, model, dtype, arrival, coreMask, klass, replicas, placement, s, input);
    }

    public ClientSpec withArrival(Arrival a) {
        return new ClientSpec(name, model, dtype, a, coreMask, klass, replicas, placement, scope, input);
    }

    public ClientSpec withDtype(String d) {
        return new ClientSpec(name, model, d, arrival, coreMask, klass, replicas, placement, scope, input);
    }
}
