package io.npusim.workloads.graph;

import java.util.List;

/** Shape and arity checks shared by the op records; messages name the op. */
final class Checks {
    private Checks() {
    }

    static List<Tensor> arity(String op, String what, List<Tensor> ts, int min, int max) {
        if (op == null || op.isBlank()) {
            throw new IllegalArgumentException("op name is required");
        }
        if (ts == null || ts.size() < min || ts.size() > max) {
            throw new IllegalArgumentException("op '" + op + "': needs " + (min == max ? min : min + ".." + max) + " " + what
                    + ", got " + (ts == null ? 0 : ts.size()));
        }
        return List.copyOf(ts);
    }

    static void shape(String op, Tensor t, Shape expected) {
        if (!t.shape().equals(expected)) {
            throw new IllegalArgumentException("op '" + op + "': tensor '" + t.name() + "' has shape " + t.shape()
                    + ", expected " + expected);
        }
    }

    static void rank(String op, Tensor t, int rank) {
        if (t.shape().rank() != rank) {
            throw new IllegalArgumentException("op '" + op + "': tensor '" + t.name() + "' has rank " + t.shape().rank()
                    + ", expected " + rank);
        }
    }

    static void check(boolean ok, String op, String message) {
        if (!ok) {
            throw new IllegalArgumentException("op '" + op + "': " + message);
        }
    }

    /** Two inputs broadcast to the output shape. */
    static void binary(String op, List<Tensor> inputs, List<Tensor> outputs) {
        shape(op, outputs.get(0), Shape.broadcast(inputs.get(0).shape(), inputs.get(1).shape()));
    }

    /** One input, one output of the same shape. */
    static void sameShape(String op, List<Tensor> inputs, List<Tensor> outputs) {
        shape(op, outputs.get(0), inputs.get(0).shape());
    }
}
