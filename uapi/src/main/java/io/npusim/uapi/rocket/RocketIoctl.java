package io.npusim.uapi.rocket;

import io.npusim.uapi.Ioctl;

/**
 * The four rocket ioctls (rocket_accel.h). None carries a DRM flag: rocket_drv.c registers them
 * with {@code DRM_IOCTL_DEF_DRV(..., 0)}.
 */
public sealed interface RocketIoctl extends Ioctl permits CreateBo, Submit, PrepBo, FiniBo {
    /** {@code DRM_ROCKET_CREATE_BO}; the ioctl nr is {@code DRM_COMMAND_BASE + 0x00}. */
    int DRM_ROCKET_CREATE_BO = 0x00;
    int DRM_ROCKET_SUBMIT = 0x01;
    int DRM_ROCKET_PREP_BO = 0x02;
    int DRM_ROCKET_FINI_BO = 0x03;
}
