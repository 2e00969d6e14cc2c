package io.npusim.workloads.graph;

import java.util.Arrays;

/**
 * Dimensions of a tensor. Vision feature maps are NCHW; sequence tensors are [tokens, features] or
 * [heads, tokens, headDim]. Immutable: the array is copied in and out.
 */
public record Shape(int[] dims) {

    public Shape {
        if (dims == null) {
            throw new IllegalArgumentException("dims are required");
        }
        dims = dims.clone();
        for (int d : dims) {
            if (d <= 0) {
                throw new IllegalArgumentException("dimension " + d + " in " + Arrays.toString(dims) + " is not positive");
            }
        }
    }

    public static Shape of(int... dims) {
        return new Shape(dims);
    }

    @Override
    public int[] dims() {
        return dims.clone();
    }

    public int rank() {
        return dims.length;
    }

    /** Dimension {@code axis}; negative axes count from the end. */
    public int dim(int axis) {
        return dims[normalize(axis)];
    }

    /** Turns a negative axis into its positive index and checks range. */
    public int normalize(int axis) {
        int a = axis < 0 ? axis + dims.length : axis;
        if (a < 0 || a >= dims.length) {
            throw new IllegalArgumentException("axis " + axis + " out of range for " + this);
        }
        return a;
    }

    public long elements() {
        long n = 1;
        for (int d : dims) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** Product of all dimensions before {@code axis} (batch count of a matmul). */
    public long elementsBefore(int axis) {
        long n = 1;
        for (int i = 0; i < normalize(axis); i++) {
            n *= dims[i];
        }
        return n;
    }

    public Shape with(int axis, int value) {
        int[] d = dims.clone();
        d[normalize(axis)] = value;
        return new Shape(d);
    }

    public int n() {
        return nchw(0);
    }

    public int c() {
        return nchw(1);
    }

    public int h() {
        return nchw(2);
    }

    public int w() {
        return nchw(3);
    }

    private int nchw(int i) {
        if (dims.length != 4) {
            throw new IllegalStateException("shape " + this + " is not NCHW");
        }
        return dims[i];
    }

    /** Numpy-style broadcast of two shapes; throws if they do not broadcast. */
    public static Shape broadcast(Shape a, Shape b) {
        int rank = Math.max(a.rank(), b.rank());
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.rank() ? 1 : a.dims[i - (rank - a.rank())];
            int db = i < rank - b.rank() ? 1 : b.dims[i - (rank - b.rank())];
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException("shapes " + a + " and " + b + " do not broadcast");
            }
            out[i] = Math.max(da, db);
        }
        return new Shape(out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && Arrays.equals(dims, s.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    /** "1x3x224x224", the way model zoos print input shapes. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < dims.length; i++) {
            if (i > 0) {
                sb.append('x');
            }
            sb.append(dims[i]);
        }
        return sb.toString();
    }
}
