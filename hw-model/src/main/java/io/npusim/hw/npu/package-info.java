/** NPU cores: registers, the program controller, task geometry and timing, interrupts. */
package io.npusim.hw.npu;
