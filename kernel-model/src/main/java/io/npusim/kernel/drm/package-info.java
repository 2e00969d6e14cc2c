/** The DRM/accel core: GEM objects and handles, mmap offsets, dma_fence, dma_resv. */
package io.npusim.kernel.drm;
