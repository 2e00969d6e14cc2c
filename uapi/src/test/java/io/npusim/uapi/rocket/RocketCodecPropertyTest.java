package io.npusim.uapi.rocket;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.npusim.uapi.codec.Codec;
import io.npusim.uapi.codec.CodecChecks;
import io.npusim.uapi.codec.TruncatedStructException;
import io.npusim.uapi.codec.UserArray;
import java.nio.ByteBuffer;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple.Tuple2;
import net.jqwik.api.constraints.LongRange;

class RocketCodecPropertyTest {
    @Property
    void createBo(@ForAll @LongRange(min = 0, max = 0xFFFF_FFFFL) long size, @ForAll int handle,
            @ForAll long dma, @ForAll long offset) {
        CreateBo v = new CreateBo(size, handle, dma, offset);
        CodecChecks.roundTrips(CreateBo.CODEC, v, v);
    }

    @Property
    void submit(@ForAll long jobs, @ForAll int count, @ForAll int stride, @ForAll long reserved) {
        Submit v = new Submit(UserArray.pointer(jobs), count, stride, reserved);
        CodecChecks.roundTrips(Submit.CODEC, v, v);
    }

    @Property
    void submitWithItemsDecodesToPointers(@ForAll long jobsAddress, @ForAll int count) {
        if (jobsAddress == 0) return;
        RocketJob job = RocketJob.of(UserArray.nullPointer(), UserArray.nullPointer(),
                UserArray.nullPointer());
        Submit v = new Submit(UserArray.of(jobsAddress, List.of(job)), count, RocketJob.SIZE, 0);
        CodecChecks.roundTrips(Submit.CODEC, v, v.pointersOnly());
    }

    @Property
    void prepBo(@ForAll int handle, @ForAll int reserved, @ForAll long timeoutNs) {
        PrepBo v = new PrepBo(handle, reserved, timeoutNs);
        CodecChecks.roundTrips(PrepBo.CODEC, v, v);
    }

    @Property
    void finiBo(@ForAll int handle, @ForAll int reserved) {
        FiniBo v = new FiniBo(handle, reserved);
        CodecChecks.roundTrips(FiniBo.CODEC, v, v);
    }

    @Property
    void job(@ForAll long tasks, @ForAll long in, @ForAll long out, @ForAll int taskCount,
            @ForAll int taskStride, @ForAll int inCount, @ForAll int outCount,
            @ForAll boolean fault) {
        RocketJob v = new RocketJob(new UserArray<>(tasks, List.of(), fault), UserArray.pointer(in),
                UserArray.pointer(out), taskCount, taskStride, inCount, outCount);
        CodecChecks.roundTrips(RocketJob.CODEC, v, v.pointersOnly());
    }

    @Property
    void task(@ForAll @LongRange(min = 0, max = 0xFFFF_FFFFL) long regcmd, @ForAll int count) {
        RocketTask v = new RocketTask(regcmd, count);
        CodecChecks.roundTrips(RocketTask.CODEC, v, v);
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
    Arbitrary<Tuple2<Codec<?>, byte[]>> codecWithBytes() {
        return CodecChecks.codecWithBytes(RocketUapiTest.ALL);
    }

    @Provide
    Arbitrary<Tuple2<Codec<?>, Integer>> codecWithShortLength() {
        return CodecChecks.codecWithShortLength(RocketUapiTest.ALL);
    }
}
