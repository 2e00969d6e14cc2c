package io.npusim.workloads.arrival;

import io.npusim.core.account.Attribution;
import io.npusim.core.account.Part;
import io.npusim.core.time.Time;
import io.npusim.uapi.os.UserThread;
import io.npusim.workloads.runtime.VisionRuntime;
import java.util.ArrayDeque;

/**
 * A speech-recognition client on a sliding window (whisper.cpp {@code stream} style): every period
 * a window of audio is complete and transcribed by an encoder-decoder model held in two runtime
 * contexts. Per window: the encoder's inputs are set, it runs once and its outputs (the decoder's
 * cross-attention keys and values) are read and handed to the decoder as its inputs; then the
 * decoder runs {@code tokensPerWindow} times, one step per token, reading its logits after each
 * step (greedy decoding; the CPU cost of reading them is the runtime's output fetch).
 *
 * <p>Simplifications, stated: the per-step token id and position inputs (a few bytes) are written
 * in place and cost nothing; each decoder step has the same cost, that of the decoder compiled at
 * the window's last context length (RKNN graphs have static shapes, so an exported decoder always
 * works on its full cache).
 *
 * <p>A window's latency runs from its arrival (the end of its audio) to the last token's logits.
 * It misses its deadline when the latency exceeds it. A window arriving while the previous one
 * still runs is dropped when {@code dropIfBusy}; otherwise it waits its turn (that wait counts as
 * {@link Part#QUEUED}). Windows arrive one period after the runtimes are loaded, then every period:
 * the audio clock has no jitter.
 */
public final class AudioClient implements Client {

    /** Arrival of windows and the work per window. */
    public record Pattern(long periodPs, long deadlinePs, boolean dropIfBusy, int tokensPerWindow) {
        public Pattern {
            if (periodPs <= 0 || deadlinePs <= 0 || tokensPerWindow < 1) {
                throw new IllegalArgumentException("bad audio pattern: period " + periodPs + " ps, deadline " + deadlinePs
                        + " ps, tokens " + tokensPerWindow);
            }
        }

        public static Pattern of(double periodS, double deadlineMs, boolean dropIfBusy, int tokensPerWindow) {
            return new Pattern(Time.fromSeconds(periodS), Time.fromMs(deadlineMs), dropIfBusy, tokensPerWindow);
        }
    }

    private final String name;
    private final UserThread thread;
    private final VisionRuntime encoder;
    private final VisionRuntime decoder;
    private final Pattern pattern;
    private final ClientStats stats;
    private final ArrayDeque<Long> backlog = new ArrayDeque<>();
    private long endPs;
    private boolean busy;
    private boolean stopped;
    private long windows;
    private RequestListener requestListener;

    public AudioClient(String name, String model, UserThread thread, VisionRuntime encoder, VisionRuntime decoder, Pattern pattern) {
        this.name = name;
        this.thread = thread;
        this.encoder = encoder;
        this.decoder = decoder;
        this.pattern = pattern;
        this.stats = new ClientStats(name, "audio", model);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ClientStats stats() {
        return stats;
    }

    public VisionRuntime encoder() {
        return encoder;
    }

    public VisionRuntime decoder() {
        return decoder;
    }

    @Override
    public void setRequestListener(RequestListener l) {
        this.requestListener = l;
    }

    /** Windows that arrived (processed, dropped or waiting). */
    public long windows() {
        return windows;
    }

    @Override
    public void start(long endPs) {
        this.endPs = endPs;
        encoder.load(() -> {
            if (failed(encoder)) return;
            decoder.load(() -> {
                if (failed(decoder)) return;
                scheduleWindow(thread.now() + pattern.periodPs());
            });
        });
    }

    private void scheduleWindow(long atPs) {
        if (atPs >= endPs || stopped) return;
        thread.sleepUntil(atPs, () -> {
            if (stopped) return;
            scheduleWindow(atPs + pattern.periodPs());
            windows++;
            if (requestListener != null) requestListener.arrived(name, thread.now(), 0, pattern.tokensPerWindow());
            if (busy) {
                if (pattern.dropIfBusy()) stats.drop();
                else backlog.addLast(thread.now());
                return;
            }
            window(thread.now());
        });
    }

    /** One window: encoder, hand-over, decoder steps. The request's clock starts at {@code arrivalPs}. */
    private void window(long arrivalPs) {
        busy = true;
        Attribution req = new Attribution(arrivalPs);
        if (thread.now() > arrivalPs) {
            // it waited behind the previous window: that time is queueing, not work
            req.close(req.open(Part.QUEUED, arrivalPs), thread.now());
        }
        thread.setRequest(req);
        encoder.setInputs(() -> encoder.run(() -> {
            if (failed(encoder)) return;
            encoder.getOutputs(() -> decoder.setInputs(() -> {
                long decodeStart = thread.now();
                step(req, arrivalPs, decodeStart, pattern.tokensPerWindow());
            }));
        }));
    }

    private void step(Attribution req, long arrivalPs, long decodeStartPs, int left) {
        if (left == 0) {
            long now = thread.now();
            stats.tokens(pattern.tokensPerWindow(), now - decodeStartPs);
            long latency = now - arrivalPs;
            stats.complete(arrivalPs, latency, req.finish(now));
            if (latency > pattern.deadlinePs()) stats.deadlineMiss();
            thread.setRequest(null);
            busy = false;
            if (!backlog.isEmpty() && now < endPs) window(backlog.removeFirst());
            return;
        }
        decoder.run(() -> {
            if (failed(decoder)) return;
            decoder.getOutputs(() -> step(req, arrivalPs, decodeStartPs, left - 1));
        });
    }

    /** A failed load or run stops the client, as an application would. */
    private boolean failed(VisionRuntime rt) {
        if (rt.failure() == null) return false;
        stats.fail(rt.failure().message());
        thread.setRequest(null);
        busy = false;
        stopped = true;
        return true;
    }
}
