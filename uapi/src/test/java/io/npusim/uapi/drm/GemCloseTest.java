package io.npusim.uapi.drm;

import static org.assertj.core.api.Assertions.assertThat;

import io.npusim.uapi.codec.CodecChecks;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class GemCloseTest {
    @Test
    void layoutAndRequestMatchDrmH() {
        assertThat(GemClose.CODEC.size()).isEqualTo(8).isEqualTo(GemClose.SIZE);
        assertThat(GemClose.REQUEST).isEqualTo(0x40086409L);
        GemClose g = GemClose.of(0x01020304);
        assertThat(g.request()).isEqualTo(GemClose.REQUEST);
        assertThat(g.name()).isEqualTo("DRM_IOCTL_GEM_CLOSE");
        assertThat(GemClose.CODEC.toBytes(g)).containsExactly(4, 3, 2, 1, 0, 0, 0, 0);
        assertThat(Codecs.forRequest(0x40086409L)).containsSame(GemClose.CODEC);
        assertThat(Codecs.forRequest(0x40086408L)).isEmpty();
        CodecChecks.rejectsEveryTruncation(GemClose.CODEC);
    }

    @Property
    void roundTrips(@ForAll int handle, @ForAll int pad) {
        GemClose g = new GemClose(handle, pad);
        CodecChecks.roundTrips(GemClose.CODEC, g, g);
    }
}
