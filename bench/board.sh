#!/usr/bin/env bash
# The emulated board: image build with a cached kernel, and power-on to SSH. Usage: bench/board.sh
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd); cd "$ROOT"
W=$(mktemp -d /tmp/ks-bench-board-XXXX)
trap 'echo quit | nc -U -q1 "$W/qmon.sock" >/dev/null 2>&1 || true; rm -rf "$W"' EXIT
K=$(targets/qemu-arm64/build-kernel.sh 2>/dev/null | tail -1)
s=$(date +%s.%N); SSH_PORT=2299 targets/qemu-arm64/make-board.sh "$W" "$K" >/dev/null 2>&1; e=$(date +%s.%N)
img=$(echo "$e - $s" | bc)
s=$(date +%s.%N); setsid -f sh -c "exec '$W/boot.sh' > '$W/qemu.out' 2>&1 < /dev/null"
until ssh -F "$W/ssh_config" -o ConnectTimeout=2 board true 2>/dev/null; do sleep 0.2; done; e=$(date +%s.%N)
printf 'board image build (kernel cached) %.1f s; power-on -> SSH %.1f s\n' "$img" "$(echo "$e - $s" | bc)"
