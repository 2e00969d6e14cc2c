/**
 * Operator-graph IR: tensors with shapes, datatypes and quantisation, one record per operator,
 * and an immutable, validated {@link io.npusim.workloads.graph.Graph} built through
 * {@link io.npusim.workloads.graph.GraphBuilder}.
 *
 * <p>Every op reports its work from shapes alone: multiply-accumulates ({@code macs()}), constant
 * operand bytes ({@code weightBytes()}), activation bytes read and written without reuse
 * ({@code readBytes()}, {@code writeBytes()}) and learned parameters ({@code params()}). Compilers
 * lower these graphs into NPU tasks; reuse and tiling are their business, not the IR's.
 */
package io.npusim.workloads.graph;
