/**
 * The DRM GPU scheduler (drivers/gpu/drm/scheduler: sched_main.c, sched_entity.c, sched_rq.c,
 * sched_fence.c), as the rocket driver uses it (shared/reference/rocket-upstream.md §2.3-2.9, §3,
 * §8): {@link io.npusim.kernel.sched.DrmGpuScheduler} (one per NPU core),
 * {@link io.npusim.kernel.sched.SchedEntity} (one per submitter),
 * {@link io.npusim.kernel.sched.SchedJob} and its {@link io.npusim.kernel.sched.SchedFence}, and
 * the driver's {@link io.npusim.kernel.sched.SchedBackend}.
 *
 * <p>Driver wiring, as rocket does it:
 * <pre>
 * sched[i] = new DrmGpuScheduler(kernel, backend_i, DrmSchedInitArgs.of("rocket-core" + i, i, 1, 500 ms));
 * entity   = new SchedEntity(kernel, "fd" + n, DrmSchedPriority.NORMAL, List.of(sched));   // open()
 * job = new SchedJob(label, request); job.init(entity, 1);                                   // SUBMIT
 * job.arm();                                   // picks the core (select_rq)
 * for in BO:  job.addImplicitDependencies(bo.resv(), false);
 * for out BO: job.addImplicitDependencies(bo.resv(), true);
 * entity.pushJob(job);
 * for out BO: bo.resv().add(job.finishedFence(), DmaResv.Usage.WRITE);
 * </pre>
 */
package io.npusim.kernel.sched;
