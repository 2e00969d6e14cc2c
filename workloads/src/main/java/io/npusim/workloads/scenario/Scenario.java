package io.npusim.workloads.scenario;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A scenario: clients, hardware overrides, duration and seed. Built-ins live in {@code scenarios/};
 * users copy and edit them.
 *
 * @param hardware configuration overrides, as with {@code --set key=value}
 */
public record Scenario(
        @JsonProperty(value = "name", required = true) String name,
        @JsonProperty("description") String description,
        @JsonProperty("duration_s") Double durationS,
        @JsonProperty("seed") Long seed,
        @JsonProperty("hardware") Map<String, String> hardware,
        @JsonProperty(value = "clients", required = true) List<ClientSpec> clients) {

    public Scenario {
        hardware = hardware == null ? Map.of() : new LinkedHashMap<>(hardware);
        clients = List.copyOf(clients);
    }

    public double duration() {
        return durationS == null ? 10.0 : durationS;
    }

    public long seedOrDefault() {
        return seed == null ? 1L : seed;
    }

    public Scenario withClients(List<ClientSpec> c) {
        return new Scenario(name, description, durationS, seed, hardware, c);
    }
}
