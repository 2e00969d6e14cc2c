package io.npusim.workloads.arrival;

import io.npusim.core.account.Attribution;
import io.npusim.core.random.RngStream;
import io.npusim.uapi.os.UserThread;
import io.npusim.workloads.runtime.LlmRuntime;
import io.npusim.workloads.scenario.Dist;

/**
 * A chat user: each turn sends a prompt, waits for the first token (time to first token: prefill
 * plus the first sampling) and reads the answer token by token, then thinks before the next turn.
 * Each decoded token is one request with its own latency breakdown; decode tokens per second is
 * tokens over the time spent decoding them. The conversation restarts when the context is full.
 */
public final class ChatClient implements Client {
    private final String name;
    private final UserThread thread;
    private final LlmRuntime runtime;
    private final Dist prompt;
    private final Dist answer;
    private final long thinkPs;
    private final int maxContext;
    private final RngStream rng;
    private final ClientStats stats;
    private long endPs;
    private int context;
    private long turns;
    private long maxTurns = Long.MAX_VALUE;
    private RequestListener requestListener;
    private int[][] script;
    private int nextTurn;

    public ChatClient(String name, String model, UserThread thread, LlmRuntime runtime, Dist prompt, Dist answer, long thinkPs,
                      int maxContext, RngStream rng) {
        this.name = name;
        this.thread = thread;
        this.runtime = runtime;
        this.prompt = prompt;
        this.answer = answer;
        this.thinkPs = thinkPs;
        this.maxContext = maxContext;
        this.rng = rng;
        this.stats = new ClientStats(name, "llm", model);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ClientStats stats() {
        return stats;
    }

    /** Stops after {@code n} turns (a benchmark of one prompt). */
    public ChatClient withMaxTurns(long n) {
        this.maxTurns = n;
        return this;
    }

    public LlmRuntime runtime() {
        return runtime;
    }

    @Override
    public void setRequestListener(RequestListener l) {
        this.requestListener = l;
    }

    /**
     * Turns take their prompt and answer lengths from this list, {prompt, answer} per turn,
     * instead of drawing them (a workload trace replayed); the client stops after the last one.
     */
    public ChatClient withTurns(int[][] turns) {
        int[][] copy = new int[turns.length][];
        for (int i = 0; i < turns.length; i++) {
            if (turns[i].length != 2 || turns[i][0] < 1 || turns[i][1] < 1) throw new IllegalArgumentException("turn " + i + " needs positive prompt and answer tokens");
            copy[i] = turns[i].clone();
        }
        this.script = copy;
        return this;
    }

    public long turns() {
        return turns;
    }

    @Override
    public void start(long endPs) {
        this.endPs = endPs;
        runtime.load(() -> {
            if (runtime.failure() != null) {
                stats.fail(runtime.failure().message());
                return;
            }
            turn();
        });
    }

    private void turn() {
        if (thread.now() >= endPs || turns >= maxTurns) return;
        if (script != null && nextTurn >= script.length) return;
        int p = script != null ? script[nextTurn][0] : prompt.draw(rng);
        int a = script != null ? script[nextTurn++][1] : answer.draw(rng);
        if (requestListener != null) requestListener.arrived(name, thread.now(), p, a);
        if (context + p + a > maxContext) context = 0; // a new conversation
        long start = thread.now();
        Attribution req = new Attribution(start);
        thread.setRequest(req);
        runtime.prefill(p, context, () -> {
            if (failed()) return;
            long now = thread.now();
            req.finish(now);
            stats.ttft(now - start);
            context += p;
            turns++;
            decode(a - 1);
        });
    }

    private void decode(int left) {
        if (left <= 0 || thread.now() >= endPs) {
            thread.setRequest(null);
            if (thinkPs > 0) thread.sleepUntil(thread.now() + thinkPs, this::turn);
            else turn();
            return;
        }
        long start = thread.now();
        Attribution req = new Attribution(start);
        thread.setRequest(req);
        context++;
        runtime.decode(context, () -> {
            if (failed()) return;
            long now = thread.now();
            stats.complete(start, now - start, req.finish(now));
            stats.tokens(1, now - start);
            decode(left - 1);
        });
    }

    private boolean failed() {
        if (runtime.failure() == null) return false;
        stats.fail(runtime.failure().message());
        thread.setRequest(null);
        return true;
    }
}
