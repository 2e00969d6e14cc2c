package io.npusim.kernel.proposed;

import io.npusim.core.account.Attribution;
import io.npusim.kernel.drm.DmaFence;
import java.util.List;

/**
 * An explicit job: its tasks, the variants userspace compiled (segments of up to three parts
 * separated by barriers), the variant the driver chose, and its progress.
 */
final class ProposedJob {
    /** One task as the kernel keeps it. */
    record Task(long regcmd, int regcmdCount) {}

    /** One part of a segment: a task range that runs on one core, in batches. */
    record PartRange(int start, int count) {}

    /** A variant: how many cores it is compiled for, and its segments (each a list of parts). */
    record Variant(int cores, List<List<PartRange>> segments) {}

    final long id;
    final NpuContext ctx;
    final long seqno;
    final DmaFence fence;
    final List<Task> tasks;
    final List<Variant> variants;
    final Attribution request;
    Variant chosen;
    int segment;
    int partsLeft;
    long readyPs = -1;
    int error;
    /** Parts of this job waiting in a class queue, and the request's QUEUED claim while any waits. */
    int waiting;
    Attribution.Claim queuedClaim;

    ProposedJob(long id, NpuContext ctx, long seqno, DmaFence fence, List<Task> tasks, List<Variant> variants, Attribution request) {
        this.id = id;
        this.ctx = ctx;
        this.seqno = seqno;
        this.fence = fence;
        this.tasks = tasks;
        this.variants = variants;
        this.request = request;
    }

    /** A runnable piece: the rest of one part; it may move between cores at batch boundaries. */
    static final class Item {
        final ProposedJob job;
        int next;
        final int end;
        boolean preempted;

        Item(ProposedJob job, PartRange r) {
            this.job = job;
            this.next = r.start();
            this.end = r.start() + r.count();
        }
    }
}
