package io.npusim.traces.format;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.npusim.hw.npu.Dtype;
import io.npusim.hw.npu.RegcmdStream;
import io.npusim.hw.npu.TaskOp;
import io.npusim.uapi.Ioctl;
import io.npusim.uapi.codec.UserArray;
import io.npusim.uapi.drm.GemClose;
import io.npusim.uapi.rknpu.MemCreate;
import io.npusim.uapi.rknpu.RknpuTask;
import io.npusim.uapi.rknpu.Submit;
import io.npusim.uapi.rocket.CreateBo;
import io.npusim.uapi.rocket.RocketJob;
import io.npusim.uapi.rocket.RocketTask;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ValuesTest {
    final Values v = new Values();

    Ioctl roundTrip(Ioctl arg) {
        ObjectNode t = v.tree(arg);
        return v.ioctl(arg.request(), arg.name(), t);
    }

    @Test
    void ioctlArgumentsRoundTripWithTheirUserArrays() {
        RocketJob job = RocketJob.of(UserArray.of(0x7f00_0000L, List.of(new RocketTask(0x1000, 20), new RocketTask(0x1040, 22))),
                UserArray.of(0x7f10_0000L, List.of(3, 4)), UserArray.of(0x7f20_0000L, List.of(5)));
        Ioctl submit = io.npusim.uapi.rocket.Submit.of(UserArray.of(0x7e00_0000L, List.of(job)));
        assertThat(roundTrip(submit)).isEqualTo(submit);
        Ioctl s = new Submit(5, 6000, 0, 94, 94, 0, -549754762752L, 0, 0, 0xff9f1000L, 1_630_000, 1, -1, Submit.noSubcoreTasks());
        assertThat(roundTrip(s)).isEqualTo(s);
        assertThat(roundTrip(MemCreate.of(1, 4096, 0, 0, 0))).isEqualTo(MemCreate.of(1, 4096, 0, 0, 0));
        assertThat(roundTrip(new GemClose(3, 0))).isEqualTo(new GemClose(3, 0));
    }

    @Test
    void requestNumbersRepeatAcrossDriversSoNamesDecide() {
        // rocket numbers its ioctls from DRM_COMMAND_BASE like the others: the name picks the struct
        CreateBo c = CreateBo.of(8192);
        assertThat(roundTrip(c)).isEqualTo(c);
        assertThat(Values.ioctlClass(c.name())).isEqualTo(CreateBo.class);
        assertThat(Values.ioctlClass("DRM_IOCTL_RKNPU_SUBMIT")).isEqualTo(Submit.class);
    }

    @Test
    void fieldsAreSnakeCase() {
        ObjectNode t = v.tree(MemCreate.of(1, 4096, 0, 0, 0));
        assertThat(t.fieldNames()).toIterable().containsExactly("handle", "flags", "size_bytes", "obj_addr", "dma_addr", "sram_size_bytes",
                "iommu_domain_id", "core_mask");
    }

    @Test
    void writesNameTheOperationTheyProgram() {
        TaskOp op = new TaskOp("conv 1", TaskOp.Kind.CONV, Dtype.INT8, TaskOp.Shape.matmul(4, 64, 32), new TaskOp.Cbuf(4, 8, true),
                TaskOp.Post.BIAS_RELU, List.of(new TaskOp.Dma(TaskOp.Operand.FEATURE, 0x1000, 256), new TaskOp.Dma(TaskOp.Operand.OUTPUT, 0x2000, 128)),
                8192);
        Map<Integer, TaskOp> table = new HashMap<>();
        ObjectNode w = v.writeValue(new RegcmdStream(40, op, 0x3000, 12), o -> {
            table.put(0, o);
            return 0;
        });
        assertThat(w.get("kind").asText()).isEqualTo("regcmd");
        assertThat(w.get("op").asInt()).isZero();
        assertThat(v.op(v.tree(op))).isEqualTo(op);
        assertThat(v.readWriteValue(w, table::get)).isEqualTo(new RegcmdStream(40, op, 0x3000, 12));
        RknpuTask task = new RknpuTask(0, 1, 0xd, 0x300, 0x1ffff, 0, 124, 0, 0x1000);
        assertThat(v.readWriteValue(v.writeValue(task, o -> 0), table::get)).isEqualTo(task);
    }
}
