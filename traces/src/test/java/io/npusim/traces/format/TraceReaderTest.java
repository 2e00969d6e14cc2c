package io.npusim.traces.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.npusim.core.UserError;
import io.npusim.uapi.rknpu.MemMap;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TraceReaderTest {
    static Trace read(String text) {
        return new TraceReader().read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "t.jsonl");
    }

    static String replaceLine(String text, int line, String with) {
        List<String> l = new ArrayList<>(text.lines().toList());
        l.set(line - 1, with);
        return String.join("\n", l) + "\n";
    }

    @Test
    void readsTheTinyTraceAsAForestOfCalls() {
        Trace t = read(Samples.tiny());
        assertThat(t.header().policy()).isEqualTo("rknpu");
        assertThat(t.calls()).hasSize(3);
        assertThat(t.roots()).extracting(Trace.Call::id).containsExactly(0L);
        assertThat(t.children(0)).extracting(Trace.Call::id).containsExactly(1L);
        Trace.IoctlCall io = (Trace.IoctlCall) t.children(0).get(0).action();
        assertThat(io.arg()).isEqualTo(new MemMap(1, 0, 0));
        assertThat(t.children(1).get(0).pending()).isTrue();
        assertThat(t.arrivals()).hasSize(1);
    }

    @Test
    void readsTheRecordedSample() {
        Trace t = new TraceReader().read(Samples.file("vision-single-rknpu.npusim.jsonl"));
        assertThat(t.hasUapi()).isTrue();
        assertThat(t.calls()).isNotEmpty();
        assertThat(t.clients()).extracting(Trace.ClientInfo::name).containsExactly("bench");
    }

    @Test
    void refusesANewerVersionNamingIt() {
        String s = Samples.tiny().replace("\"version\":1", "\"version\":7");
        assertThatThrownBy(() -> read(s)).isInstanceOf(UserError.class).hasMessage(
                "t.jsonl:1: trace format version 7 is newer than this npusim reads (1); use a newer npusim");
    }

    @Test
    void refusesAnotherPlatform() {
        String s = Samples.tiny().replace("\"platform\":\"rk3588\"", "\"platform\":\"rk3568\"");
        assertThatThrownBy(() -> read(s)).isInstanceOf(UserError.class).hasMessageContaining("t.jsonl:1:")
                .hasMessageContaining("platform 'rk3568'");
    }

    @Test
    void refusesAFileThatIsNoTrace() {
        assertThatThrownBy(() -> read("{\"traceEvents\":[]}\n")).isInstanceOf(UserError.class).hasMessageContaining("t.jsonl:1: not an npusim trace");
        assertThatThrownBy(() -> read("")).isInstanceOf(UserError.class).hasMessageContaining("empty file");
    }

    @Test
    void aTruncatedTraceSaysSo() {
        String s = Samples.tiny();
        String cut = s.substring(0, s.indexOf("{\"t\":\"end\""));
        assertThatThrownBy(() -> read(cut)).isInstanceOf(UserError.class).hasMessage(
                "t.jsonl: truncated after line 8: no end line (the trace was cut short)");
        String mid = s.substring(0, s.indexOf("\"dur_ps\":1000"));
        assertThatThrownBy(() -> read(mid)).isInstanceOf(UserError.class).hasMessage(
                "t.jsonl:7: the line is cut short: the trace was truncated");
    }

    @Test
    void aReorderedTraceNamesTheLine() {
        List<String> l = new ArrayList<>(Samples.tiny().lines().toList());
        String six = l.get(5);
        l.set(5, l.get(6));
        l.set(6, six);
        assertThatThrownBy(() -> read(String.join("\n", l) + "\n")).isInstanceOf(UserError.class)
                .hasMessage("t.jsonl:6: call 1 follows call 0, which no earlier line holds (the trace is reordered or cut)");
    }

    @Test
    void timeGoingBackwardsIsAReorder() {
        String s = replaceLine(Samples.tiny(), 5, "{\"t\":\"arrival\",\"client\":\"c\",\"at_ps\":999999,\"prompt_tokens\":0,\"answer_tokens\":0}");
        assertThatThrownBy(() -> read(s)).isInstanceOf(UserError.class).hasMessageContaining("t.jsonl:6: ").hasMessageContaining("reordered");
    }

    @Test
    void corruptFieldsNameLineAndField() {
        assertThatThrownBy(() -> read(Samples.tiny().replace("\"dur_ps\":1000,", "\"dur_ps\":\"x\",")))
                .isInstanceOf(UserError.class).hasMessage("t.jsonl:7: field 'dur_ps' must be an integer, got \"x\"");
        assertThatThrownBy(() -> read(Samples.tiny().replace("\"handle\":1,", "\"handle\":1.5,")))
                .isInstanceOf(UserError.class).hasMessageStartingWith("t.jsonl:7: ioctl DRM_IOCTL_RKNPU_MEM_MAP:");
        assertThatThrownBy(() -> read(Samples.tiny().replace("\"reserved\":0,", "")))
                .isInstanceOf(UserError.class).hasMessageStartingWith("t.jsonl:7: ioctl DRM_IOCTL_RKNPU_MEM_MAP:").hasMessageContaining("reserved");
        assertThatThrownBy(() -> read(Samples.tiny().replace("\"t\":\"cpu\"", "\"t\":\"teleport\"")))
                .isInstanceOf(UserError.class).hasMessageStartingWith("t.jsonl:8: unknown line type 'teleport'");
        assertThatThrownBy(() -> read(Samples.tiny().replace("\"nr\":\"0xc0106443\"", "\"nr\":\"0xc0106444\"")))
                .isInstanceOf(UserError.class).hasMessage("t.jsonl:7: ioctl DRM_IOCTL_RKNPU_MEM_MAP has request number 0xc0106443, not 0xc0106444");
        assertThatThrownBy(() -> read(Samples.tiny().replace("\"lines\":9", "\"lines\":10")))
                .isInstanceOf(UserError.class).hasMessageStartingWith("t.jsonl:9: end line says the trace has 10 lines");
        assertThatThrownBy(() -> read(Samples.tiny() + "{\"t\":\"end\",\"lines\":10,\"calls\":3}\n"))
                .isInstanceOf(UserError.class).hasMessage("t.jsonl:10: a line after the end line");
    }

    @Test
    void aChildMustStartWhenItsParentCompleted() {
        String s = Samples.tiny().replace("\"at_ps\":610001,\"dur_ps\":1000", "\"at_ps\":610002,\"dur_ps\":999");
        assertThatThrownBy(() -> read(s)).isInstanceOf(UserError.class)
                .hasMessage("t.jsonl:7: call 1 starts at 610002 ps, but call 0 it follows completed at 610001 ps");
    }

    @Test
    void notUtf8IsReportedOnItsLine() {
        byte[] b = Samples.tiny().getBytes(StandardCharsets.UTF_8);
        int third = Samples.tiny().indexOf("{\"t\":\"thread\"");
        b[third + 20] = (byte) 0xff;
        assertThatThrownBy(() -> new TraceReader().read(new ByteArrayInputStream(b), "t.jsonl")).isInstanceOf(UserError.class)
                .hasMessage("t.jsonl:3: not UTF-8 text");
    }
}
