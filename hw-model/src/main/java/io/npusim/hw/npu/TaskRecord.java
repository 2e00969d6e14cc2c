package io.npusim.hw.npu;

/**
 * What one task did on one core, for profiles: times in picoseconds, bytes, MACs, and how its
 * execution time split into compute, memory stalls and walk stalls.
 */
public record TaskRecord(
        int core, String label, TaskOp.Kind kind, String client, long job,
        long startPs, long endPs, long overheadPs, long walkLatencyPs,
        long macs, long paddedMacs, long pipelineCycles,
        double ddrBytes, double sramBytes, long iotlbMisses,
        double computePs, double memStallPs, double walkStallPs, long clockKhz, double energyPj) {
    public long durationPs() {
        return endPs - startPs;
    }
}
