package io.npusim.uapi.proposed;

import static org.assertj.core.api.Assertions.assertThat;

import io.npusim.uapi.codec.CodecChecks;
import io.npusim.uapi.codec.UserArray;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class ProposedCodecPropertyTest {
    @Property
    void ctxCreate(@ForAll int cls, @ForAll int flags, @ForAll long deadline, @ForAll int id, @ForAll int pad) {
        CodecChecks.roundTrips(CtxCreate.CODEC, new CtxCreate(cls, flags, deadline, id, pad), new CtxCreate(cls, flags, deadline, id, pad));
    }

    @Property
    void boAndResidency(@ForAll long size, @ForAll int flags, @ForAll int handle, @ForAll long off, @ForAll int ctx, @ForAll long iova) {
        CodecChecks.roundTrips(BoCreate.CODEC, new BoCreate(size, flags, handle, off), new BoCreate(size, flags, handle, off));
        CodecChecks.roundTrips(BoResident.CODEC, new BoResident(ctx, handle, flags, 0, iova), new BoResident(ctx, handle, flags, 0, iova));
    }

    @Property
    void sramWaitQuery(@ForAll int ctx, @ForAll int handle, @ForAll long bytes, @ForAll int prio, @ForAll long granted, @ForAll long seq,
                       @ForAll long t, @ForAll long a, @ForAll long b) {
        CodecChecks.roundTrips(SramRequest.CODEC, new SramRequest(ctx, handle, bytes, prio, 0, granted), new SramRequest(ctx, handle, bytes, prio, 0, granted));
        CodecChecks.roundTrips(NpuWait.CODEC, new NpuWait(ctx, 0, seq, t), new NpuWait(ctx, 0, seq, t));
        CtxQuery q = new CtxQuery(ctx, 0, a, b, seq, t, granted, bytes, 7);
        CodecChecks.roundTrips(CtxQuery.CODEC, q, q);
    }

    @Property
    void submitAndElements(@ForAll int ctx, @ForAll long tasks, @ForAll long variants, @ForAll long fences, @ForAll int n,
                           @ForAll @LongRange(min = 0, max = 0xFFFF_FFFFL) long regcmd, @ForAll int count, @ForAll long seq) {
        NpuSubmit s = new NpuSubmit(ctx, 0, UserArray.pointer(tasks), n, 8, UserArray.pointer(variants), 2, 16, UserArray.pointer(fences), 1, 0, seq);
        CodecChecks.roundTrips(NpuSubmit.CODEC, s, s);
        CodecChecks.roundTrips(NpuTask.CODEC, new NpuTask(regcmd, count), new NpuTask(regcmd, count));
        NpuSegment seg = new NpuSegment(new int[] {n, count, 1}, new int[] {2, 3, 4});
        CodecChecks.roundTrips(NpuSegment.CODEC, seg, seg);
        CodecChecks.roundTrips(NpuFence.CODEC, new NpuFence(ctx, 0, seq), new NpuFence(ctx, 0, seq));
    }

    @Test
    void sizesAndRequestNumbersAreDistinct() {
        assertThat(List.of(CtxCreate.SIZE, CtxDestroy.SIZE, BoCreate.SIZE, BoResident.SIZE, SramRequest.SIZE, NpuSubmit.SIZE, NpuWait.SIZE, CtxQuery.SIZE))
                .containsExactly(24, 8, 24, 24, 32, 64, 24, 64);
        assertThat(Codecs.all()).hasSize(8);
        for (var c : Codecs.all().values()) CodecChecks.rejectsEveryTruncation(c);
    }
}
