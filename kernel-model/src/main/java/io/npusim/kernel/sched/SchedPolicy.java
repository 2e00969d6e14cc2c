package io.npusim.kernel.sched;

/**
 * The {@code drm_sched.sched_policy} module parameter (rocket-upstream.md §3.2), here chosen per
 * scheduler.
 * <ul>
 *   <li>{@link #FIFO} (the default since 2023): per priority, the ready entity whose head job was
 *       submitted first ({@code drm_sched_rq_select_entity_fifo});</li>
 *   <li>{@link #RR}: per priority, the next ready entity after the last one picked
 *       ({@code drm_sched_rq_select_entity_rr});</li>
 *   <li>{@link #FAIR}: Tvrtko Ursulin's CFS-like policy (sched_rq.c, commit 2fa4d8e2c109, later
 *       marked experimental): one run queue, entities ordered by virtual GPU time.</li>
 * </ul>
 */
public enum SchedPolicy { FIFO, RR, FAIR }
