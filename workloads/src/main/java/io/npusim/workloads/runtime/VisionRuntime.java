package io.npusim.workloads.runtime;

import io.npusim.workloads.compile.Program;

/**
 * A userspace runtime serving one model in one process, as an application calls it: load once,
 * then per inference set inputs, run, get outputs. Every call completes through its callback.
 */
public interface VisionRuntime {
    String name();

    /** Loads the model; {@code failure()} is set when it cannot. */
    void load(Runnable done);

    /** rknn_inputs_set / Teflon input conversion. */
    void setInputs(Runnable done);

    /** rknn_run / TFLite invoke of the NPU partitions. */
    void run(Runnable done);

    /** rknn_outputs_get / reading and converting output tensors. */
    void getOutputs(Runnable done);

    /** Non-null when loading or the last call failed. */
    RuntimeFailure failure();

    Program program();

    /** Bytes of buffers this runtime allocated from the driver. */
    long allocatedBytes();
}
