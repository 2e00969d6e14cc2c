package io.npusim.uapi.rknpu;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.npusim.uapi.codec.Codec;
import io.npusim.uapi.codec.CodecChecks;
import io.npusim.uapi.codec.TruncatedStructException;
import java.nio.ByteBuffer;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple.Tuple2;

class RknpuCodecPropertyTest {
    @Property
    void action(@ForAll int flags, @ForAll int value) {
        Action v = new Action(flags, value);
        CodecChecks.roundTrips(Action.CODEC, v, v);
    }

    @Property
    void submit(@ForAll int flags, @ForAll int timeoutMs, @ForAll int taskStart,
            @ForAll int taskNumber, @ForAll int taskCounter, @ForAll int priority,
            @ForAll long taskObjAddr, @ForAll int iommuDomainId, @ForAll int reserved,
            @ForAll long taskBaseAddr, @ForAll long hwElapseTimeNs, @ForAll int coreMask,
            @ForAll int fenceFd, @ForAll("subcoreTasks") List<SubcoreTask> sub) {
        Submit v = new Submit(flags, timeoutMs, taskStart, taskNumber, taskCounter, priority,
                taskObjAddr, iommuDomainId, reserved, taskBaseAddr, hwElapseTimeNs, coreMask,
                fenceFd, sub);
        CodecChecks.roundTrips(Submit.CODEC, v, v);
    }

    @Property
    void memCreate(@ForAll int handle, @ForAll int flags, @ForAll long size, @ForAll long obj,
            @ForAll long dma, @ForAll long sram, @ForAll int domain, @ForAll int coreMask) {
        MemCreate v = new MemCreate(handle, flags, size, obj, dma, sram, domain, coreMask);
        CodecChecks.roundTrips(MemCreate.CODEC, v, v);
    }

    @Property
    void memMap(@ForAll int handle, @ForAll int reserved, @ForAll long offset) {
        MemMap v = new MemMap(handle, reserved, offset);
        CodecChecks.roundTrips(MemMap.CODEC, v, v);
    }

    @Property
    void memDestroy(@ForAll int handle, @ForAll int reserved, @ForAll long obj) {
        MemDestroy v = new MemDestroy(handle, reserved, obj);
        CodecChecks.roundTrips(MemDestroy.CODEC, v, v);
    }

    @Property
    void memSync(@ForAll int flags, @ForAll int reserved, @ForAll long obj, @ForAll long offset,
            @ForAll long size) {
        MemSync v = new MemSync(flags, reserved, obj, offset, size);
        CodecChecks.roundTrips(MemSync.CODEC, v, v);
    }

    @Property
    void task(@ForAll int flags, @ForAll int opIdx, @ForAll int enableMask, @ForAll int intMask,
            @ForAll int intClear, @ForAll int intStatus, @ForAll int regcfgAmount,
            @ForAll int regcfgOffset, @ForAll long regcmdAddr) {
        RknpuTask v = new RknpuTask(flags, opIdx, enableMask, intMask, intClear, intStatus,
                regcfgAmount, regcfgOffset, regcmdAddr);
        CodecChecks.roundTrips(RknpuTask.CODEC, v, v);
    }

    @Property
    void anyBytesDecodeAndEncodeBack(@ForAll("codecWithBytes") Tuple2<Codec<?>, byte[]> t) {
        CodecChecks.bytesRoundTrip(t.get1(), t.get2());
    }

    @Property
    void truncatedBuffersThrow(@ForAll("codecWithShortLength") Tuple2<Codec<?>, Integer> t) {
        ByteBuffer in = ByteBuffer.allocate(t.get2());
        assertThatThrownBy(() -> t.get1().decode(in)).isInstanceOf(TruncatedStructException.class);
    }

    @Provide
    Arbitrary<List<SubcoreTask>> subcoreTasks() {
        Arbitrary<Integer> ints = Arbitraries.integers();
        return Combinators.combine(ints, ints).as(SubcoreTask::new).list().ofSize(5);
    }

    @Provide
    Arbitrary<Tuple2<Codec<?>, byte[]>> codecWithBytes() {
        return CodecChecks.codecWithBytes(RknpuUapiTest.ALL);
    }

    @Provide
    Arbitrary<Tuple2<Codec<?>, Integer>> codecWithShortLength() {
        return CodecChecks.codecWithShortLength(RknpuUapiTest.ALL);
    }
}
