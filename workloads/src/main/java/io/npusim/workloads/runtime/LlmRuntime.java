package io.npusim.workloads.runtime;

/**
 * An LLM runtime serving one model in one process: load once, then per chat turn a prefill of the
 * prompt (ending with the first token) and one decode step per further token.
 */
public interface LlmRuntime {
    String name();

    void load(Runnable done);

    /** Processes {@code promptTokens} new tokens on top of {@code cachedTokens} and samples one token. */
    void prefill(int promptTokens, int cachedTokens, Runnable done);

    /** One decode step with {@code contextTokens} positions in the KV cache (the new one included). */
    void decode(int contextTokens, Runnable done);

    /** Non-null when loading or the last call failed. */
    RuntimeFailure failure();

    long allocatedBytes();

    /** Bytes of KV cache at {@code contextTokens} positions (host memory in RKLLM). */
    long kvCacheBytes(int contextTokens);
}
