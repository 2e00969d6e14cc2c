package io.npusim.workloads.zoo;

import static org.assertj.core.api.Assertions.assertThat;

import io.npusim.workloads.graph.Graph;
import io.npusim.workloads.graph.Op;
import io.npusim.workloads.graph.Tensor;

import java.util.HashSet;
import java.util.Set;

/** Independent re-check of topological order, so the zoo tests do not rely only on Graph's own validation. */
final class GraphChecks {
    private GraphChecks() {
    }

    static void assertTopological(Graph g) {
        Set<Integer> ready = new HashSet<>();
        for (Tensor t : g.inputs()) {
            ready.add(t.id());
        }
        for (int i = 0; i < g.opCount(); i++) {
            Op op = g.op(i);
            for (Tensor t : op.inputs()) {
                if (!t.isConstant()) {
                    assertThat(ready).as("%s: input %s of op #%d %s", g.name(), t.name(), i, op.name()).contains(t.id());
                    g.producer(t).ifPresent(p -> assertThat(g.indexOf(p)).isLessThan(g.indexOf(op)));
                }
            }
            for (Tensor t : op.outputs()) {
                assertThat(ready.add(t.id())).as("%s produced once", t.name()).isTrue();
            }
        }
        for (Tensor t : g.outputs()) {
            assertThat(ready).contains(t.id());
        }
    }
}
