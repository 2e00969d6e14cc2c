package io.npusim.traces.perfetto;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TraceValidatorTest {
    private static final String NAMES = """
            {"ph":"M","name":"process_name","pid":1,"tid":1,"args":{"name":"core"}},
            {"ph":"M","name":"thread_name","pid":1,"tid":1,"args":{"name":"tasks"}},
            """;

    private static TraceValidator check(String events) {
        return TraceValidator.validate("{\"traceEvents\":[" + NAMES + events + "]}");
    }

    @Test
    void aValidHandWrittenTraceHasNoProblems() {
        TraceValidator v = check("""
                {"ph":"X","cat":"npu,conv","name":"a","pid":1,"tid":1,"ts":0.1,"dur":0.2},
                {"ph":"X","cat":"npu","name":"b","pid":1,"tid":1,"ts":0.3,"dur":0},
                {"ph":"C","name":"ddr","pid":1,"tid":1,"ts":1,"args":{"read":1.5,"write":2}}
                """);
        assertThat(v.problems()).isEmpty();
        assertThat(v.isValid()).isTrue();
        assertThat(v.eventCount()).isEqualTo(5);
        // 0.1 + 0.2 in doubles is not 0.3; in picoseconds it is, so 'a' and 'b' just touch
        assertThat(v.totalSlicePs(1, "npu")).isEqualTo(200_000);
        assertThat(v.totalSlicePs(1, "conv")).isEqualTo(200_000);
        assertThat(v.totalSliceUs(1, "npu")).isEqualTo(0.2);
        assertThat(v.totalSlicePs(2, "npu")).isZero();
    }

    @Test
    void reportsSliceWithoutDurBadCounterArgsAndMissingIds() {
        TraceValidator v = check("""
                {"ph":"X","name":"nodur","pid":1,"tid":1,"ts":0},
                {"ph":"C","name":"q","pid":1,"tid":1,"ts":0,"args":{"depth":"3"}},
                {"ph":"C","name":"r","pid":1,"tid":1,"ts":0,"args":7},
                {"ph":"b","cat":"job","name":"j","pid":1,"tid":1,"ts":0},
                {"ph":"i","name":"nots","pid":1,"tid":1}
                """);
        assertThat(v.problems()).containsExactly(
                "event #2 (ph X 'nodur') has no numeric dur",
                "event #3 (ph C 'q'): counter series 'depth' is not a number: \"3\"",
                "event #4 (ph C 'r'): counter args must be a non-empty object of numbers",
                "event #5 (ph b 'j') has no id",
                "event #6 (ph i 'nots') has no numeric ts");
    }

    @Test
    void reportsPidsAndTidsWithoutNames() {
        TraceValidator v = check("""
                {"ph":"X","name":"a","pid":1,"tid":2,"ts":0,"dur":1},
                {"ph":"X","name":"b","pid":4,"tid":1,"ts":0,"dur":1},
                {"ph":"X","name":"c","pid":4,"tid":1,"ts":2,"dur":1}
                """);
        assertThat(v.problems()).containsExactly(
                "pid 4 is used by 2 events but has no process_name",
                "pid 1 tid 2 is used by 1 events but has no thread_name",
                "pid 4 tid 1 is used by 2 events but has no thread_name");
    }

    @Test
    void nestedAndTouchingSlicesPassPartialOverlapDoesNot() {
        TraceValidator ok = check("""
                {"ph":"X","name":"outer","pid":1,"tid":1,"ts":0,"dur":10},
                {"ph":"X","name":"inner","pid":1,"tid":1,"ts":0,"dur":10},
                {"ph":"X","name":"late","pid":1,"tid":1,"ts":9,"dur":1},
                {"ph":"X","name":"zero","pid":1,"tid":1,"ts":10,"dur":0},
                {"ph":"X","name":"next","pid":1,"tid":1,"ts":10,"dur":5}
                """);
        assertThat(ok.problems()).isEmpty();

        TraceValidator bad = check("""
                {"ph":"X","name":"late","pid":1,"tid":1,"ts":5,"dur":10},
                {"ph":"X","name":"early","pid":1,"tid":1,"ts":0,"dur":6}
                """);
        assertThat(bad.problems()).singleElement().asString()
                .contains("'late'").contains("partially overlaps 'early'");
    }

    @Test
    void malformedJsonIsAProblemNotAnException() {
        TraceValidator v = TraceValidator.validate("{\"traceEvents\":[{\"ph\":\"X\"");
        assertThat(v.problems()).singleElement().asString().startsWith("not valid JSON at line 1");
        assertThat(TraceValidator.validate("{\"foo\":1}").problems()).containsExactly("no traceEvents array");
        assertThat(TraceValidator.validate("[]").problems()).isEmpty();
    }

    @Test
    void listsAtMostTwoHundredProblemsThenCountsTheRest() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 250; i++) {
            if (i > 0) sb.append(',');
            sb.append("{\"ph\":\"X\",\"name\":\"x\",\"pid\":1,\"tid\":1,\"ts\":").append(i).append('}');
        }
        TraceValidator v = check(sb.toString());
        assertThat(v.problems()).hasSize(201);
        assertThat(v.problems().get(200)).isEqualTo("... and 50 more problems not listed");
        assertThat(v.count("X")).isEqualTo(250);
    }
}
