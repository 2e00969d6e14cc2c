package io.npusim.workloads.graph;

import java.util.List;

/**
 * Writes this step's keys or values [kvHeads, tokens, headDim] behind {@code pastLen} cached
 * positions; the output is the whole cache [kvHeads, pastLen + tokens, headDim] with role
 * {@link Tensor.Role#KV_CACHE}, which attention then reads.
 */
public record KvCacheAppend(String name, List<Tensor> inputs, List<Tensor> outputs, int pastLen) implements Op {

    public KvCacheAppend {
        inputs = Checks.arity(name, "input", inputs, 1, 1);
        outputs = Checks.arity(name, "output", outputs, 1, 1);
        Tensor in = inputs.get(0);
        Tensor cache = outputs.get(0);
        Checks.check(pastLen >= 0, name, "negative past length " + pastLen);
        Checks.check(cache.role() == Tensor.Role.KV_CACHE, name, "output '" + cache.name() + "' must have role KV_CACHE");
        Checks.shape(name, cache, in.shape().with(-2, pastLen + in.shape().dim(-2)));
    }

    /** Only the new positions are written; the past stays where it is. */
    @Override
    public long writeBytes() {
        return output().dtype().bytes(input(0).elements());
    }
}
