#!/usr/bin/env bash
# Capture what npusim needs from an RK3588 board running the upstream rocket driver
# (drivers/accel/rocket, Linux 6.18+), while your workload runs: the drm_sched job events
# (queued, run on a core, done) and the accel ioctls that submitted them.
#
#   sudo ./capture-rocket.sh [SECONDS] [OUT]     (default: 10 s into rocket-capture.txt)
#   npusim trace import --from drm-sched-ftrace rocket-capture.txt
#
# The gpu_scheduler events are recorded as a whole system, so this works with their names since
# the 2025 rename (drm_sched_job_queue, drm_sched_job_run, drm_sched_job_done) and with the
# older ones (drm_sched_job, drm_run_job, drm_sched_process_job). The ioctl events are limited
# to the rocket commands: CREATE_BO 0xc0186440, SUBMIT 0x40186441, PREP_BO 0x40106442,
# FINI_BO 0x40086443 (sys_exit_ioctl cannot be filtered by command; the importer pairs it by thread).
# Needs trace-cmd (apt install trace-cmd) and tracefs.
set -euo pipefail
secs="${1:-10}"
out="${2:-rocket-capture.txt}"

command -v trace-cmd >/dev/null || { echo "capture-rocket.sh: trace-cmd is not installed" >&2; exit 1; }
tracefs=/sys/kernel/tracing
[ -d "$tracefs/events" ] || tracefs=/sys/kernel/debug/tracing
[ -d "$tracefs/events/gpu_scheduler" ] || { echo "capture-rocket.sh: no gpu_scheduler events in $tracefs (drm_sched not built or not loaded)" >&2; exit 1; }

dat="$(mktemp --suffix=.dat)"
trap 'rm -f "$dat"' EXIT

events=(-e gpu_scheduler)
if [ -d "$tracefs/events/syscalls/sys_enter_ioctl" ]; then
  events+=(-e syscalls:sys_enter_ioctl -f 'cmd == 0xc0186440 || cmd == 0x40186441 || cmd == 0x40106442 || cmd == 0x40086443'
           -e syscalls:sys_exit_ioctl)
fi

npu_hz="$(cat /sys/kernel/debug/clk/scmi_clk_npu/clk_rate 2>/dev/null || true)"
{
  echo "# npusim capture: rocket"
  echo "# platform: $(tr '\0' ' ' < /proc/device-tree/compatible 2>/dev/null || echo unknown)"
  echo "# kernel: $(uname -r)"
  echo "# driver: rocket ($(uname -r))"
  if [ -n "$npu_hz" ]; then echo "# npu_mhz: $((npu_hz / 1000000))"; fi
} > "$out"

echo "capture-rocket.sh: tracing for $secs s; run your workload now" >&2
trace-cmd record -q -o "$dat" "${events[@]}" sleep "$secs"
trace-cmd report -i "$dat" >> "$out"
echo "capture-rocket.sh: $(grep -c 'drm_sched_job_done\|drm_sched_process_job' "$out" || true) jobs completed in $out" >&2
