package io.npusim.system.replay;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.npusim.core.UserError;
import io.npusim.traces.format.Trace;
import io.npusim.traces.format.TraceFormat;
import io.npusim.workloads.scenario.ClientSpec;
import io.npusim.workloads.scenario.Scenario;

/** The scenario a trace's header carries (the run's, with --model applied). */
final class Scenarios {
    private Scenarios() {}

    static Scenario of(Trace t) {
        if (t.header().scenario() == null) return null;
        try {
            Scenario s = TraceFormat.scenarios().treeToValue(t.header().scenario(), Scenario.class);
            if (s == null || s.clients().isEmpty()) throw new UserError(t.file() + ":1: header: the scenario has no clients");
            return s;
        } catch (JsonProcessingException e) {
            String m = e.getOriginalMessage();
            int nl = m == null ? -1 : m.indexOf('\n');
            throw new UserError(t.file() + ":1: header: bad scenario: " + (nl > 0 ? m.substring(0, nl) : m));
        } catch (IllegalArgumentException e) {
            throw new UserError(t.file() + ":1: header: bad scenario: " + e.getMessage());
        }
    }

    /** A client's deadline from the scenario (0: none or unknown). */
    static long deadlinePs(Trace t, Trace.ClientInfo c) {
        Scenario s = of(t);
        if (s == null || c.scenarioClient() == null) return 0;
        for (ClientSpec cs : s.clients()) if (cs.name().equals(c.scenarioClient())) return TraceRecording.deadlinePs(cs);
        return 0;
    }
}
