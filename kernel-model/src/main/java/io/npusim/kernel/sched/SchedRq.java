package io.npusim.kernel.sched;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * struct drm_sched_rq: the entities of one priority on one scheduler (FIFO, RR), or of all
 * priorities (FAIR, single run queue). Holds the entity list (membership counts in the
 * scheduler's score), the RR cursor and, for FIFO and FAIR, the rb-tree of entities ordered by
 * {@code oldest_job_waiting} (FIFO: head job's submit time in ps; FAIR: virtual runtime in ns).
 * Equal keys keep insertion order, as rb_add_cached puts an equal node to the right.
 */
final class SchedRq {
    final DrmGpuScheduler sched;
    /** Priority of the queue, null for the FAIR single queue. */
    final DrmSchedPriority priority;
    final List<SchedEntity> entities = new ArrayList<>();
    SchedEntity currentEntity;
    private final TreeSet<SchedEntity> tree = new TreeSet<>(
            Comparator.<SchedEntity>comparingLong(e -> e.oldestJobWaiting).thenComparingLong(e -> e.treeSeq));
    private long nextTreeSeq;

    SchedRq(DrmGpuScheduler sched, DrmSchedPriority priority) {
        this.sched = sched;
        this.priority = priority;
    }

    /** drm_sched_rq_add_entity (list part): score +1 only when the entity was not on the list. */
    void addEntity(SchedEntity e) {
        if (e.onList) return;
        sched.scoreAdd(1);
        entities.add(e);
        e.onList = true;
    }

    /** drm_sched_rq_remove_entity: score -1 when the entity was on the list. */
    void removeEntity(SchedEntity e) {
        if (!e.onList) return;
        sched.scoreAdd(-1);
        entities.remove(e);
        e.onList = false;
        if (currentEntity == e) currentEntity = null;
        removeTree(e);
    }

    /** drm_sched_rq_remove_fifo_locked / _remove_tree_locked. */
    void removeTree(SchedEntity e) {
        if (!e.inTree) return;
        tree.remove(e);
        e.inTree = false;
    }

    /** drm_sched_rq_update_fifo_locked / _update_tree_locked. */
    void updateTree(SchedEntity e, long ts) {
        removeTree(e);
        e.oldestJobWaiting = ts;
        e.treeSeq = nextTreeSeq++;
        tree.add(e);
        e.inTree = true;
    }

    /** FAIR: drm_sched_rq_get_min_vruntime (vruntime of the leftmost entity, 0 when empty). */
    long minVruntime() {
        return tree.isEmpty() ? 0 : tree.first().vruntimeNs;
    }

    /** FAIR: rq->head_prio, null standing for DRM_SCHED_PRIORITY_INVALID. */
    DrmSchedPriority headPrio() {
        return tree.isEmpty() ? null : tree.first().priority();
    }

    /**
     * drm_sched_rq_select_entity_fifo / drm_sched_select_entity (fair): the first ready entity in
     * tree order; if its head job does not fit the free credits, -ENOSPC (flagged on the
     * scheduler) and nothing is picked, so nobody overtakes it.
     */
    SchedEntity selectTree() {
        for (SchedEntity e : tree) {
            if (!e.isReady()) continue;
            if (!sched.canQueue(e)) {
                sched.selectEnospc = true;
                return null;
            }
            return e;
        }
        return null;
    }

    /**
     * drm_sched_rq_select_entity_rr: the next ready entity after {@code current_entity}, wrapping
     * around up to and including it. {@code commit} moves the cursor (false for a side-effect-free
     * peek).
     */
    SchedEntity selectRr(boolean commit) {
        int n = entities.size();
        if (currentEntity != null) {
            for (int i = entities.indexOf(currentEntity) + 1; i < n; i++) {
                SchedEntity e = entities.get(i);
                if (e.isReady()) return pickRr(e, commit);
            }
        }
        for (int i = 0; i < n; i++) {
            SchedEntity e = entities.get(i);
            if (e.isReady()) return pickRr(e, commit);
            if (e == currentEntity) break;
        }
        return null;
    }

    private SchedEntity pickRr(SchedEntity e, boolean commit) {
        if (!sched.canQueue(e)) {
            sched.selectEnospc = true;
            return null;
        }
        if (commit) currentEntity = e;
        return e;
    }
}
