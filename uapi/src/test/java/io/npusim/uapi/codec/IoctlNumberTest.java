package io.npusim.uapi.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class IoctlNumberTest {
    @Test
    void matchesWellKnownDrmNumbers() {
        // drm.h: DRM_IOCTL_GEM_CLOSE DRM_IOW(0x09, struct drm_gem_close) = 0x40086409 (strace).
        assertThat(IoctlNumber.drmIow(0x09, 8)).isEqualTo(0x40086409L);
        // drm.h: DRM_IOCTL_VERSION DRM_IOWR(0x00, struct drm_version) (64 bytes on arm64).
        assertThat(IoctlNumber.drmIowr(0x00, 64)).isEqualTo(0xc0406400L);
        assertThat(IoctlNumber.DRM_IOCTL_BASE).isEqualTo(0x64);
        assertThat(IoctlNumber.DRM_COMMAND_BASE).isEqualTo(0x40);
    }

    @Test
    void directionsFollowAsmGeneric() {
        assertThat(IoctlNumber.io('d', 1)).isEqualTo(0x00006401L);
        assertThat(IoctlNumber.ior('d', 1, 4)).isEqualTo(0x80046401L);
        assertThat(IoctlNumber.iow('d', 1, 4)).isEqualTo(0x40046401L);
        assertThat(IoctlNumber.iowr('d', 1, 4)).isEqualTo(0xc0046401L);
        assertThat(IoctlNumber.hex(0xc0186440L)).isEqualTo("0xc0186440");
    }

    @Test
    void rejectsFieldsThatDoNotFit() {
        assertThatThrownBy(() -> IoctlNumber.iowr('d', 256, 8))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nr");
        assertThatThrownBy(() -> IoctlNumber.iowr('d', 1, 1 << 14))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("size");
    }

    @Property
    void fieldsDecodeBack(@ForAll @IntRange(min = 0, max = 3) int dir,
            @ForAll @IntRange(min = 0, max = 255) int type,
            @ForAll @IntRange(min = 0, max = 255) int nr,
            @ForAll @IntRange(min = 0, max = (1 << 14) - 1) int size) {
        long request = IoctlNumber.ioc(dir, type, nr, size);
        assertThat(request).isBetween(0L, 0xFFFF_FFFFL);
        assertThat(IoctlNumber.dir(request)).isEqualTo(dir);
        assertThat(IoctlNumber.type(request)).isEqualTo(type);
        assertThat(IoctlNumber.nr(request)).isEqualTo(nr);
        assertThat(IoctlNumber.size(request)).isEqualTo(size);
    }
}
