package io.npusim.system.validate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs the bundled calibration set (validation/calibration.yaml) and fails when a point leaves its
 * tolerance, so no change can silently break the agreement with the published measurements.
 * Every point fits today; the map below stays for a point a later change cannot fit yet: listed
 * with docs/CALIBRATION.md's reason and a looser bound, it must be removed once it fits again.
 */
class CalibrationTest {
    /** Points outside tolerance today, with the largest |error| accepted until a mechanism fixes them. */
    static final Map<String, Double> KNOWN_MISSES = Map.of();

    static List<Validator.Outcome> outcomes;

    @BeforeAll
    static void run() throws Exception {
        try (InputStream in = CalibrationTest.class.getClassLoader().getResourceAsStream("validation/calibration.yaml")) {
            assertThat(in).as("the calibration set is bundled").isNotNull();
            outcomes = new Validator().run(PointFile.parse(in, "validation/calibration.yaml"));
        }
    }

    @Test
    void everyPointRunsAndStaysWithinItsTolerance() {
        assertThat(outcomes).hasSizeGreaterThanOrEqualTo(15);
        List<String> broken = new ArrayList<>();
        for (Validator.Outcome o : outcomes) {
            String id = o.point().id();
            assertThat(o.predicted()).as("%s has a prediction (%s)", id, o.reason()).isNotNull();
            double limit = KNOWN_MISSES.getOrDefault(id, o.point().tolerance());
            if (Math.abs(o.error()) > limit) broken.add(id + ": predicted " + o.predicted() + " against " + o.point().expected());
            if (KNOWN_MISSES.containsKey(id)) {
                assertThat(o.within()).as("%s now fits: remove it from KNOWN_MISSES and docs/CALIBRATION.md", id).isFalse();
            }
        }
        assertThat(broken).as("points outside their tolerance").isEmpty();
    }

    @Test
    void medianAbsoluteErrorStaysAtOrUnderTenPercent() {
        List<Double> errs = new ArrayList<>();
        for (Validator.Outcome o : outcomes) errs.add(Math.abs(o.error()));
        errs.sort(Double::compare);
        double median = errs.size() % 2 == 1 ? errs.get(errs.size() / 2) : (errs.get(errs.size() / 2 - 1) + errs.get(errs.size() / 2)) / 2;
        assertThat(median).isLessThanOrEqualTo(0.10);
    }
}
