/**
 * Generic DRM ioctls (from {@code include/uapi/drm/drm.h}) that the accel drivers rely on but do
 * not define themselves, e.g. {@code DRM_IOCTL_GEM_CLOSE}, which frees rocket and rknpu BOs.
 */
package io.npusim.uapi.drm;
