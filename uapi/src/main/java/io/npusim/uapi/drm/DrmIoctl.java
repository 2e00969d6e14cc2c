package io.npusim.uapi.drm;

import io.npusim.uapi.Ioctl;

/** The core DRM ioctls modelled (drm.h, nr below {@code DRM_COMMAND_BASE}). */
public sealed interface DrmIoctl extends Ioctl permits GemClose {}
