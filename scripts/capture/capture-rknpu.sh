#!/usr/bin/env bash
# Capture what npusim needs from an RK3588 board running the vendor rknpu driver, while your
# workload runs: each submit's flags, core mask, task counts and measured hardware time.
#
#   sudo ./capture-rknpu.sh [SECONDS] [OUT]      (default: 10 s into rknpu-capture.txt)
#   npusim trace import --from rknpu-bpftrace rknpu-capture.txt
#
# Needs bpftrace (apt install bpftrace) and kprobes (CONFIG_KPROBES, CONFIG_BPF_EVENTS).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
secs="${1:-10}"
out="${2:-rknpu-capture.txt}"

command -v bpftrace >/dev/null || { echo "capture-rknpu.sh: bpftrace is not installed" >&2; exit 1; }
grep -qw rknpu_submit_ioctl /proc/kallsyms || { echo "capture-rknpu.sh: the rknpu driver is not loaded (no rknpu_submit_ioctl)" >&2; exit 1; }

prog="$(mktemp --suffix=.bt)"
trap 'rm -f "$prog"' EXIT
cat "$here/rknpu-submit.bt" > "$prog"
if grep -qw rknpu_job_done /proc/kallsyms; then cat "$here/rknpu-done.bt" >> "$prog"; fi

npu_hz="$(cat /sys/class/devfreq/fdab0000.npu/cur_freq 2>/dev/null || true)"
{
  echo "# npusim capture: rknpu"
  echo "# platform: $(tr '\0' ' ' < /proc/device-tree/compatible 2>/dev/null || echo unknown)"
  echo "# kernel: $(uname -r)"
  echo "# driver: $(head -n1 /sys/kernel/debug/rknpu/version 2>/dev/null || echo unknown)"
  if [ -n "$npu_hz" ]; then echo "# npu_mhz: $((npu_hz / 1000000))"; fi
} > "$out"

echo "capture-rknpu.sh: tracing for $secs s into $out; run your workload now" >&2
timeout -s INT "$secs" bpftrace "$prog" >> "$out" || true
echo "capture-rknpu.sh: $(grep -c '^SUBMIT' "$out" || true) submits captured" >&2
