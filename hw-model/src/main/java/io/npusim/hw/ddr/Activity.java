package io.npusim.hw.ddr;

/**
 * Work that progresses at a rate limited by its own compute speed and by the memory bandwidth it
 * gets: the execution phase of an NPU task, a piece of CPU work, a background traffic stream.
 * Progress is a fraction of the whole (1 = done). The {@link MemoryFabric} sets the rate.
 */
public final class Activity {
    /** Told when the activity completes, and after each change of its rate. */
    public interface Listener {
        void onComplete(Activity a, long nowPs);

        default void onRate(Activity a, long nowPs) {}
    }

    final String name;
    final int port;
    final Listener listener;
    /** Work per picosecond with unlimited memory (may be infinite for pure data movement). */
    double computePerPs;
    final double ddrBytes;
    /** DDR capacity one byte of this activity uses, in read-stream bytes (writes cost more: bus turnaround). */
    double ddrCostPerByte = 1.0;
    final double sramBytes;
    final double walks;
    final double walkerPerPs;
    final boolean endless;
    Object tag;

    double remaining = 1.0;
    double rate;
    Binding binding = Binding.STARVED;
    long endPs = Long.MAX_VALUE;
    long eventHandle = -1;
    boolean active;
    int index = -1;

    // accounting since start
    double ddrDone;
    double sramDone;
    double computePs;
    double memStallPs;
    double walkStallPs;

    /**
     * @param computePerPs work per ps when memory is not the limit ({@code Double.POSITIVE_INFINITY}
     *     for work that is all data movement)
     * @param ddrBytes DDR bytes the whole activity moves
     * @param sramBytes SRAM bytes the whole activity moves
     * @param walks IOMMU page walks the whole activity needs
     * @param walkerPerPs walks per ps its MMU bank can sustain
     */
    public Activity(String name, int port, double computePerPs, double ddrBytes, double sramBytes,
                    double walks, double walkerPerPs, Listener listener) {
        this(name, port, computePerPs, ddrBytes, sramBytes, walks, walkerPerPs, false, listener);
    }

    private Activity(String name, int port, double computePerPs, double ddrBytes, double sramBytes,
                     double walks, double walkerPerPs, boolean endless, Listener listener) {
        if (!(computePerPs > 0)) throw new IllegalArgumentException(name + ": compute rate must be positive");
        if (ddrBytes < 0 || sramBytes < 0 || walks < 0) throw new IllegalArgumentException(name + ": negative amounts");
        this.name = name;
        this.port = port;
        this.computePerPs = computePerPs;
        this.ddrBytes = ddrBytes;
        this.sramBytes = sramBytes;
        this.walks = walks;
        this.walkerPerPs = walkerPerPs;
        this.endless = endless;
        this.listener = listener;
    }

    /** A stream that never ends and asks for {@code bytesPerPs} of DDR (other IP, display). */
    public static Activity background(String name, int port, double bytesPerPs) {
        return new Activity(name, port, bytesPerPs, 1.0, 0, 0, Double.POSITIVE_INFINITY, true, null);
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public Object tag() {
        return tag;
    }

    public void setTag(Object tag) {
        this.tag = tag;
    }

    public double remaining() {
        return remaining;
    }

    public double rate() {
        return rate;
    }

    public Binding binding() {
        return binding;
    }

    public boolean isActive() {
        return active;
    }

    public double computePerPs() {
        return computePerPs;
    }

    /** Fraction of time, at the current rate, that the compute pipeline is working. */
    public double computeShare() {
        if (Double.isInfinite(computePerPs) || !(rate > 0)) return 0;
        return Math.min(1.0, rate / computePerPs);
    }

    /**
     * Sets the share of this activity's DDR bytes that are writes; each written byte then uses
     * {@code writeCost} bytes of read-stream capacity (DRAM write-to-read turnaround).
     */
    public Activity withWrites(double writeFraction, double writeCost) {
        if (writeFraction < 0 || writeFraction > 1 || writeCost < 1) throw new IllegalArgumentException(name + ": bad write mix");
        this.ddrCostPerByte = 1 + (writeCost - 1) * writeFraction;
        return this;
    }

    public double ddrBytes() {
        return ddrBytes;
    }

    public double sramBytes() {
        return sramBytes;
    }

    public double walks() {
        return walks;
    }

    public double ddrDone() {
        return ddrDone;
    }

    public double sramDone() {
        return sramDone;
    }

    /** Picoseconds the compute pipeline worked, stalled on memory, stalled on walks. */
    public double computePs() {
        return computePs;
    }

    public double memStallPs() {
        return memStallPs;
    }

    public double walkStallPs() {
        return walkStallPs;
    }

    @Override
    public String toString() {
        return "Activity[" + name + ", rate " + rate + ", left " + remaining + ", " + binding + "]";
    }
}
