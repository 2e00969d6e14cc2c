package io.npusim.uapi.rknpu;

import io.npusim.uapi.Ioctl;
import io.npusim.uapi.codec.IoctlNumber;

/**
 * The six rknpu 0.9.8 ioctls (rknpu_ioctl.h). All are {@code DRM_IOWR} with
 * {@code DRM_RENDER_ALLOW} (rknpu_drv.c), and every one is wrapped in a power get/put
 * ({@code RKNPU_IOCTL()} macro).
 */
public sealed interface RknpuIoctl extends Ioctl
        permits Action, Submit, MemCreate, MemMap, MemDestroy, MemSync {
    int RKNPU_ACTION = 0x00;
    int RKNPU_SUBMIT = 0x01;
    int RKNPU_MEM_CREATE = 0x02;
    int RKNPU_MEM_MAP = 0x03;
    int RKNPU_MEM_DESTROY = 0x04;
    int RKNPU_MEM_SYNC = 0x05;

    /** {@code RKNPU_IOC_MAGIC}: ioctl type of the misc-device flavour ({@code /dev/rknpu}). */
    int RKNPU_IOC_MAGIC = 'r';

    /** {@code DRM_IOWR(DRM_COMMAND_BASE + nr, struct)}: the request in the DRM flavour. */
    static long drmRequest(int nr, int sizeBytes) {
        return IoctlNumber.drmIowr(IoctlNumber.DRM_COMMAND_BASE + nr, sizeBytes);
    }

    /**
     * The same ioctl in the misc-device flavour ({@code CONFIG_ROCKCHIP_RKNPU_DMA_HEAP}):
     * {@code _IOWR('r', nr, struct)}. Not modelled by the kernel; kept for reading traces.
     */
    default long miscRequest() {
        return IoctlNumber.iowr(RKNPU_IOC_MAGIC,
                IoctlNumber.nr(request()) - IoctlNumber.DRM_COMMAND_BASE,
                IoctlNumber.size(request()));
    }
}
