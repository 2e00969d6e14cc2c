package io.npusim.kernel.devfreq;

/**
 * The simple_ondemand governor's settings.
 *
 * @param pollingPs        sampling period (devfreq profile polling_ms)
 * @param upthreshold      busy % above which the highest OPP is chosen
 * @param downdifferential % below the up threshold within which the rate is kept
 * @param transitionPs     time before a new rate applies (clk_set_rate and the regulator ramp)
 */
public record DevfreqParams(long pollingPs, int upthreshold, int downdifferential, long transitionPs) {
    public DevfreqParams {
        if (upthreshold < 1 || upthreshold > 100 || downdifferential < 0 || downdifferential >= upthreshold) {
            throw new io.npusim.core.UserError("devfreq upthreshold must lie in 1..100 and downdifferential in 0..upthreshold-1, got "
                    + upthreshold + " and " + downdifferential);
        }
    }
}
