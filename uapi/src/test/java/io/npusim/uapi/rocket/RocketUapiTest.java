package io.npusim.uapi.rocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.npusim.uapi.codec.CodecChecks;
import io.npusim.uapi.codec.Codec;
import io.npusim.uapi.codec.UserArray;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

class RocketUapiTest {
    static final List<Codec<?>> ALL = List.of(CreateBo.CODEC, Submit.CODEC, PrepBo.CODEC,
            FiniBo.CODEC, RocketJob.CODEC, RocketTask.CODEC);

    @Test
    void structSizesMatchRocketAccelH() {
        assertThat(CreateBo.CODEC.size()).isEqualTo(CreateBo.SIZE).isEqualTo(24);
        assertThat(Submit.CODEC.size()).isEqualTo(Submit.SIZE).isEqualTo(24);
        assertThat(PrepBo.CODEC.size()).isEqualTo(PrepBo.SIZE).isEqualTo(16);
        assertThat(FiniBo.CODEC.size()).isEqualTo(FiniBo.SIZE).isEqualTo(8);
        assertThat(RocketJob.CODEC.size()).isEqualTo(RocketJob.SIZE).isEqualTo(40);
        assertThat(RocketTask.CODEC.size()).isEqualTo(RocketTask.SIZE).isEqualTo(8);
    }

    @Test
    void requestNumbersMatchTheReference() {
        assertThat(CreateBo.REQUEST).isEqualTo(0xc0186440L);
        assertThat(Submit.REQUEST).isEqualTo(0x40186441L);
        assertThat(PrepBo.REQUEST).isEqualTo(0x40106442L);
        assertThat(FiniBo.REQUEST).isEqualTo(0x40086443L);
        assertThat(CreateBo.of(4096).request()).isEqualTo(CreateBo.REQUEST);
        assertThat(Submit.of(UserArray.nullPointer()).request()).isEqualTo(Submit.REQUEST);
        assertThat(PrepBo.of(1, 0).request()).isEqualTo(PrepBo.REQUEST);
        assertThat(FiniBo.of(1).request()).isEqualTo(FiniBo.REQUEST);
        assertThat(CreateBo.of(1).name()).isEqualTo("DRM_IOCTL_ROCKET_CREATE_BO");
        assertThat(Submit.of(UserArray.nullPointer()).name()).isEqualTo("DRM_IOCTL_ROCKET_SUBMIT");
        assertThat(PrepBo.of(1, 0).name()).isEqualTo("DRM_IOCTL_ROCKET_PREP_BO");
        assertThat(FiniBo.of(1).name()).isEqualTo("DRM_IOCTL_ROCKET_FINI_BO");
    }

    @Test
    void codecsLookUpByRequest() {
        assertThat(Codecs.forRequest(0xc0186440L)).containsSame(CreateBo.CODEC);
        assertThat(Codecs.forRequest(0x40186441L)).containsSame(Submit.CODEC);
        assertThat(Codecs.forRequest(0x40106442L)).containsSame(PrepBo.CODEC);
        assertThat(Codecs.forRequest(0x40086443L)).containsSame(FiniBo.CODEC);
        assertThat(Codecs.forRequest(0x40086409L)).isEmpty();
        assertThat(Codecs.all()).hasSize(4);
    }

    @Test
    void jobFieldOffsets() {
        RocketJob job = new RocketJob(UserArray.pointer(0x1111_0000_0000_0001L),
                UserArray.pointer(0x2222L), UserArray.pointer(0x3333L), 4, 8, 5, 6);
        ByteBuffer b = ByteBuffer.wrap(RocketJob.CODEC.toBytes(job)).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(b.getLong(0)).isEqualTo(0x1111_0000_0000_0001L);
        assertThat(b.getLong(8)).isEqualTo(0x2222L);
        assertThat(b.getLong(16)).isEqualTo(0x3333L);
        assertThat(b.getInt(24)).isEqualTo(4);
        assertThat(b.getInt(28)).isEqualTo(8);
        assertThat(b.getInt(32)).isEqualTo(5);
        assertThat(b.getInt(36)).isEqualTo(6);
    }

    @Test
    void createBoAndSubmitOffsets() {
        CreateBo bo = CreateBo.of(0xFFFF_FFFFL).withResult(7, 0x8000_1000L, 0x10_0000L);
        ByteBuffer b = ByteBuffer.wrap(CreateBo.CODEC.toBytes(bo)).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(b.getInt(0)).isEqualTo(-1);
        assertThat(b.getInt(4)).isEqualTo(7);
        assertThat(b.getLong(8)).isEqualTo(0x8000_1000L);
        assertThat(b.getLong(16)).isEqualTo(0x10_0000L);
        assertThat(CreateBo.CODEC.fromBytes(b.array()).sizeBytes()).isEqualTo(0xFFFF_FFFFL);

        Submit s = new Submit(UserArray.pointer(0xAAAAL), 3, 48, 9);
        b = ByteBuffer.wrap(Submit.CODEC.toBytes(s)).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(b.getLong(0)).isEqualTo(0xAAAAL);
        assertThat(b.getInt(8)).isEqualTo(3);
        assertThat(b.getInt(12)).isEqualTo(48);
        assertThat(b.getLong(16)).isEqualTo(9);

        PrepBo p = PrepBo.of(5, -2);
        b = ByteBuffer.wrap(PrepBo.CODEC.toBytes(p)).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(b.getInt(0)).isEqualTo(5);
        assertThat(b.getInt(4)).isZero();
        assertThat(b.getLong(8)).isEqualTo(-2);
    }

    @Test
    void factoriesFillCountsAndStrides() {
        UserArray<RocketTask> tasks = UserArray.of(0x100,
                List.of(new RocketTask(0x1000, 10), new RocketTask(0x2000, 12)));
        RocketJob job = RocketJob.of(tasks, UserArray.of(0x200, List.of(1, 2, 3)),
                UserArray.nullPointer());
        assertThat(job.taskCount()).isEqualTo(2);
        assertThat(job.taskStructSize()).isEqualTo(RocketTask.SIZE);
        assertThat(job.inBoHandleCount()).isEqualTo(3);
        assertThat(job.outBoHandleCount()).isZero();
        Submit s = Submit.of(UserArray.of(0x300, List.of(job)));
        assertThat(s.jobCount()).isEqualTo(1);
        assertThat(s.jobStructSize()).isEqualTo(RocketJob.SIZE);
        assertThat(s.reserved()).isZero();
        // The bytes carry only pointers.
        assertThat(Submit.CODEC.fromBytes(Submit.CODEC.toBytes(s))).isEqualTo(s.pointersOnly());
        assertThat(RocketJob.CODEC.fromBytes(RocketJob.CODEC.toBytes(job)))
                .isEqualTo(job.pointersOnly());
    }

    @Test
    void thirtyTwoBitAddressesAreChecked() {
        assertThatThrownBy(() -> new RocketTask(1L << 32, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("regcmd");
        assertThatThrownBy(() -> CreateBo.of(1L << 32))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("size");
    }

    @Test
    void everyStructRejectsTruncatedInput() {
        ALL.forEach(CodecChecks::rejectsEveryTruncation);
    }

    @Test
    void familyIsSealed() {
        assertThat(RocketIoctl.class.isSealed()).isTrue();
        assertThat(RocketIoctl.class.getPermittedSubclasses()).hasSize(4);
    }
}
