package io.npusim.system.verdicts;

import static org.assertj.core.api.Assertions.assertThat;

import io.npusim.system.verdicts.VerdictRules.Level;
import io.npusim.system.verdicts.VerdictRules.OnTime;
import org.junit.jupiter.api.Test;

/** The rules on made-up figures, at and around each threshold. */
class VerdictRulesTest {
    private static final OnTime ON_TIME = new OnTime(1800, 0, 0, 24.6, 33.3);

    @Test
    void jobModelIsExplicitWhenOneSubmissionSpansCores() {
        assertThat(VerdictRules.jobModel(1.0).label()).isEqualTo("ioctl-only");
        assertThat(VerdictRules.jobModel(1.49).level()).isEqualTo(Level.POOR);
        assertThat(VerdictRules.jobModel(1.5).label()).isEqualTo("explicit jobs");
        assertThat(VerdictRules.jobModel(2.98).level()).isEqualTo(Level.GOOD);
    }

    @Test
    void sramIsInvisibleWhenNothingIsHeldOrNothingSaved() {
        assertThat(VerdictRules.sram(0, 0, 0).label()).isEqualTo("invisible");
        assertThat(VerdictRules.sram(0, 110, 80).label()).isEqualTo("invisible"); // saved bytes without SRAM held: not the SRAM's doing
        assertThat(VerdictRules.sram(956, 100, 99.5).label()).isEqualTo("invisible"); // 0.5% < 1%
        assertThat(VerdictRules.sram(956, 100, 99).label()).isEqualTo("explicit");
        assertThat(VerdictRules.sram(956, 109.8, 81.0).because()).contains("26.2% DDR saved");
    }

    @Test
    void persistenceLooksAtAttachesFirstThenPerJobWork() {
        assertThat(VerdictRules.persistence(203.6, 20.3, 160.4).label()).isEqualTo("none");
        assertThat(VerdictRules.persistence(1.0, 0.1, 60).label()).isEqualTo("none");
        assertThat(VerdictRules.persistence(0.0, 5.38, 63.8).label()).isEqualTo("mapped once");
        assertThat(VerdictRules.persistence(0.0, 5.38, 63.8).level()).isEqualTo(Level.PARTIAL);
        assertThat(VerdictRules.persistence(0.0, 3.0, 60).label()).isEqualTo("managed residency"); // exactly 5%
        assertThat(VerdictRules.persistence(0.0, 1.69, 62.8).level()).isEqualTo(Level.GOOD);
    }

    @Test
    void schedulingNeedsTheCameraOnTimeAndTheChatKeepingItsShare() {
        OnTime late = new OnTime(54, 546, 54, 355.9, 33.3);
        assertThat(VerdictRules.scheduling(late, late, 6.2, 6.0).because()).contains("even alone");
        OnTime dropsWithChat = new OnTime(1790, 10, 0, 30, 33.3);
        assertThat(VerdictRules.scheduling(ON_TIME, dropsWithChat, 16, 15).label()).isEqualTo("userspace");
        assertThat(VerdictRules.scheduling(ON_TIME, ON_TIME, 15.68, 7.45).label()).isEqualTo("userspace");
        assertThat(VerdictRules.scheduling(ON_TIME, ON_TIME, 15.68, 7.45).level()).isEqualTo(Level.PARTIAL);
        assertThat(VerdictRules.scheduling(ON_TIME, ON_TIME, 10, 6).label()).isEqualTo("driver"); // exactly 60%
        assertThat(VerdictRules.scheduling(ON_TIME, ON_TIME, 15.93, 11.03).label()).isEqualTo("driver");
        OnTime p99Over = new OnTime(1800, 0, 0, 34.0, 33.3); // no frame counted late, but the p99 is over the deadline
        assertThat(VerdictRules.scheduling(ON_TIME, p99Over, 16, 15).label()).isEqualTo("userspace");
    }

    @Test
    void visionAndSoundWorksOnlyWhenEveryFrameAndWindowIsOnTime() {
        assertThat(VerdictRules.visionAndSound(ON_TIME, new OnTime(4, 0, 0, 1668, 2000)).label()).isEqualTo("works");
        // 95% of frames on time (5% late), all windows: tolerated
        assertThat(VerdictRules.visionAndSound(new OnTime(1800, 0, 90, 34, 33.3), new OnTime(4, 0, 0, 1668, 2000)).label()).isEqualTo("tolerated");
        // exactly 90% on time is still tolerated; below is a failure
        assertThat(VerdictRules.visionAndSound(new OnTime(90, 10, 0, 30, 33.3), new OnTime(4, 0, 0, 1, 2000)).label()).isEqualTo("tolerated");
        assertThat(VerdictRules.visionAndSound(new OnTime(163, 1637, 163, 357, 33.3), new OnTime(2, 2, 2, 3300, 2000)).label()).isEqualTo("fails");
        assertThat(new OnTime(163, 1637, 163, 357, 33.3).share()).isZero();
        assertThat(new OnTime(0, 0, 0, 0, 33.3).all()).isFalse(); // nothing delivered is not "all on time"
    }

    @Test
    void llmWorksAtReadingSpeedWithAQuickFirstToken() {
        assertThat(VerdictRules.llm(0, 0, 0).label()).isEqualTo("fails");
        assertThat(VerdictRules.llm(51, 6.2, 1234.8).label()).isEqualTo("constrained");
        assertThat(VerdictRules.llm(121, 15.7, 1200).label()).isEqualTo("constrained"); // fast decode, slow first token
        assertThat(VerdictRules.llm(121, 9.9, 400).label()).isEqualTo("constrained");
        assertThat(VerdictRules.llm(121, 10.0, 1000).label()).isEqualTo("works");
    }

    @Test
    void isolationLeaksOnAnyForeignReadAndIsIsolatedOnlyOnAFault() {
        assertThat(VerdictRules.isolation(1, 0).label()).isEqualTo("isolated");
        assertThat(VerdictRules.isolation(0, 1).label()).isEqualTo("leaks");
        assertThat(VerdictRules.isolation(1, 1).label()).isEqualTo("leaks");
        assertThat(VerdictRules.isolation(0, 0).label()).isEqualTo("inconclusive");
    }
}
