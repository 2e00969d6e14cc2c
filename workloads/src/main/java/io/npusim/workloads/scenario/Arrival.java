package io.npusim.workloads.scenario;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** How a client issues requests. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = Arrival.ClosedLoop.class, name = "closed_loop"),
        @JsonSubTypes.Type(value = Arrival.Camera.class, name = "camera"),
        @JsonSubTypes.Type(value = Arrival.Chat.class, name = "chat"),
        @JsonSubTypes.Type(value = Arrival.Audio.class, name = "audio")
})
public sealed interface Arrival {
    /** Back-to-back requests, with an optional pause between them (a benchmark loop). */
    record ClosedLoop(@JsonProperty("think_ms") Double thinkMs) implements Arrival {
        public ClosedLoop {
            if (thinkMs != null && thinkMs < 0) throw new IllegalArgumentException("think_ms must not be negative");
        }

        public double think() {
            return thinkMs == null ? 0 : thinkMs;
        }
    }

    /** Frames at a rate with uniform jitter; a frame arriving while the previous runs is dropped when asked. */
    record Camera(@JsonProperty(value = "fps", required = true) double fps,
                  @JsonProperty("jitter_ms") Double jitterMs,
                  @JsonProperty("deadline_ms") Double deadlineMs,
                  @JsonProperty("drop_if_busy") Boolean dropIfBusy) implements Arrival {
        public Camera {
            if (!(fps > 0)) throw new IllegalArgumentException("fps must be positive");
            if (jitterMs != null && jitterMs < 0) throw new IllegalArgumentException("jitter_ms must not be negative");
        }

        public double jitter() {
            return jitterMs == null ? 0 : jitterMs;
        }

        public double deadline() {
            return deadlineMs != null ? deadlineMs : 1000.0 / fps;
        }

        public boolean drop() {
            return dropIfBusy == null || dropIfBusy;
        }
    }

    /** Chat turns: a prompt, an answer of some tokens, think time before the next turn. */
    record Chat(@JsonProperty(value = "prompt_tokens", required = true) Dist promptTokens,
                @JsonProperty(value = "answer_tokens", required = true) Dist answerTokens,
                @JsonProperty("think_s") Double thinkS) implements Arrival {
        public double think() {
            return thinkS == null ? 0 : thinkS;
        }
    }

    /**
     * Speech recognition on a sliding window: every {@code period_s} the last {@code window_s} of
     * audio are transcribed (the model's encoder always sees its full window, shorter audio is
     * padded with silence, as whisper pads to its window). Each window runs the encoder once, then
     * the decoder for {@code tokens_per_window} steps (default: the window's length times
     * {@code audio.speech_tokens_per_s} of runtime.yaml). A window's deadline is the period unless
     * {@code deadline_ms} is given; a window arriving while the previous one still runs is dropped
     * unless {@code drop_if_busy} is false, in which case it waits its turn.
     */
    record Audio(@JsonProperty(value = "window_s", required = true) double windowS,
                 @JsonProperty(value = "period_s", required = true) double periodS,
                 @JsonProperty("tokens_per_window") Integer tokensPerWindow,
                 @JsonProperty("deadline_ms") Double deadlineMs,
                 @JsonProperty("drop_if_busy") Boolean dropIfBusy) implements Arrival {
        public Audio {
            if (!(windowS > 0)) throw new IllegalArgumentException("window_s must be positive");
            if (!(periodS > 0)) throw new IllegalArgumentException("period_s must be positive");
            if (tokensPerWindow != null && tokensPerWindow < 1) throw new IllegalArgumentException("tokens_per_window must be at least 1");
            if (deadlineMs != null && !(deadlineMs > 0)) throw new IllegalArgumentException("deadline_ms must be positive");
        }

        public double deadline() {
            return deadlineMs != null ? deadlineMs : periodS * 1000.0;
        }

        public boolean drop() {
            return dropIfBusy == null || dropIfBusy;
        }

        /** Decoder steps per window: the given count, else the window's length at {@code speechTokensPerS}. */
        public int tokens(double speechTokensPerS) {
            return tokensPerWindow != null ? tokensPerWindow : Math.max(1, (int) Math.round(windowS * speechTokensPerS));
        }
    }
}
