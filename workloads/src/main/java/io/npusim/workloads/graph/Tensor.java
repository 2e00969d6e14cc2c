package io.npusim.workloads.graph;

/**
 * A value in a graph. Ids are dense indices into the graph's tensor table.
 *
 * @param id index in the graph's tensor table
 * @param name readable name, following the published model's module path where there is one
 * @param shape dimensions
 * @param dtype element type
 * @param quant quantisation scheme ({@link Quant#NONE} for float tensors)
 * @param role what the tensor is for; decides whether it counts as weights or activations
 */
public record Tensor(int id, String name, Shape shape, DType dtype, Quant quant, Role role) {

    public enum Role {
        INPUT, OUTPUT, ACTIVATION, WEIGHT, BIAS, CONSTANT,
        /** Persistent attention keys/values: read as activations, kept between inference steps. */
        KV_CACHE
    }

    public Tensor {
        if (id < 0 || name == null || name.isBlank() || shape == null || dtype == null || quant == null || role == null) {
            throw new IllegalArgumentException("incomplete tensor " + id + " '" + name + "'");
        }
    }

    public long elements() {
        return shape.elements();
    }

    public long bytes() {
        return dtype.bytes(elements());
    }

    /** Weights, biases and other constants: loaded once, never written by the graph. */
    public boolean isConstant() {
        return role == Role.WEIGHT || role == Role.BIAS || role == Role.CONSTANT;
    }

    /** Learned parameters (what model cards count); fixed constants such as anchor grids are not. */
    public boolean isParameter() {
        return role == Role.WEIGHT || role == Role.BIAS;
    }

    Tensor withRole(Role newRole) {
        return new Tensor(id, name, shape, dtype, quant, newRole);
    }
}
