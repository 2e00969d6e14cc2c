package io.npusim.uapi.proposed;

import io.npusim.uapi.Ioctl;

/**
 * The ioctls of the proposed NPU subsystem (docs/PROPOSED_UAPI.md): execution contexts with a
 * scheduling class, buffers made resident in a context, visible SRAM requests, explicit jobs with
 * per-core variants, timeline fences and per-context accounting. A hypothetical UAPI, written
 * as a dri-devel proposal would be.
 */
public sealed interface NpuIoctl extends Ioctl
        permits CtxCreate, CtxDestroy, BoCreate, BoResident, SramRequest, NpuSubmit, NpuWait, CtxQuery {
    int DRM_NPU_CTX_CREATE = 0x00;
    int DRM_NPU_CTX_DESTROY = 0x01;
    int DRM_NPU_BO_CREATE = 0x02;
    int DRM_NPU_BO_RESIDENT = 0x03;
    int DRM_NPU_SRAM_REQUEST = 0x04;
    int DRM_NPU_SUBMIT = 0x05;
    int DRM_NPU_WAIT = 0x06;
    int DRM_NPU_CTX_QUERY = 0x07;

    /** Scheduling classes of a context. */
    int CLASS_LATENCY = 0;
    int CLASS_THROUGHPUT = 1;
    int CLASS_BACKGROUND = 2;
}
