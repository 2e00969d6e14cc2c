package io.npusim.kernel.rknpu;

import io.npusim.hw.iommu.Iommu;
import io.npusim.hw.iommu.IommuDomain;
import java.util.ArrayDeque;

/**
 * The vendor driver's IOMMU domains (0.9.x): up to 16 domains of 4 GiB each, one attached to the
 * whole NPU at a time. Users take a reference on the current domain; switching to another waits
 * until no reference is held (the whole NPU drains), then detaches and attaches.
 */
final class RknpuDomains {
    private final Iommu iommu;
    private final IommuDomain[] domains;
    private int current;
    private int refs;
    private long switches;
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();

    record Waiter(int id, Runnable granted) {}

    RknpuDomains(Iommu iommu, int max) {
        this.iommu = iommu;
        this.domains = new IommuDomain[max];
        domains[0] = new IommuDomain(0, "rknpu domain 0");
        iommu.attach(domains[0]);
    }

    int max() {
        return domains.length;
    }

    int current() {
        return current;
    }

    int refs() {
        return refs;
    }

    long switches() {
        return switches;
    }

    IommuDomain domain(int id) {
        if (domains[id] == null) domains[id] = new IommuDomain(id, "rknpu domain " + id);
        return domains[id];
    }

    IommuDomain currentDomain() {
        return domains[current];
    }

    /**
     * rknpu_iommu_domain_get_and_switch: takes a reference on {@code id}, switching to it first
     * when another domain is current and unused. Returns true when granted at once; otherwise
     * {@code granted} runs later (after the switch) and the caller waits.
     */
    boolean getAndSwitch(int id, Runnable granted) {
        // The current domain is handed out even while a switch waits: the waiter only polls
        // (usleep_range) for refcount == 0, it does not hold new users off, so a steady stream of
        // current-domain jobs can starve it up to its 6 s limit (rknpu_iommu.c
        // rknpu_iommu_domain_get_and_switch; rknpu-vendor-and-hw.md 3.4).
        if (id == current) {
            refs++;
            return true;
        }
        if (refs == 0 && waiters.isEmpty()) {
            doSwitch(id);
            refs++;
            return true;
        }
        waiters.add(new Waiter(id, granted));
        return false;
    }

    /** Gives up a reference; grants waiting switches when the NPU is drained. Returns the grants to run. */
    java.util.List<Runnable> put() {
        if (refs <= 0) throw new IllegalStateException("domain reference underflow");
        refs--;
        return grant();
    }

    /** A waiter gave up (timeout); true if it was still waiting. */
    boolean cancel(Runnable granted) {
        return waiters.removeIf(w -> w.granted() == granted);
    }

    private java.util.List<Runnable> grant() {
        java.util.List<Runnable> run = new java.util.ArrayList<>();
        while (!waiters.isEmpty()) {
            Waiter w = waiters.peek();
            if (w.id() == current) {
                waiters.poll();
                refs++;
                run.add(w.granted());
            } else if (refs == 0) {
                waiters.poll();
                doSwitch(w.id());
                refs++;
                run.add(w.granted());
            } else {
                break;
            }
        }
        return run;
    }

    private void doSwitch(int id) {
        if (id == current) return;
        domain(id);
        iommu.detach();
        iommu.attach(domains[id]);
        current = id;
        switches++;
    }

    /** Re-attach after a soft reset (IOMMU force reset, DTE reload, ZAP_CACHE). */
    void reattach() {
        iommu.detach();
        iommu.attach(domains[current]);
    }
}
