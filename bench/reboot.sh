#!/usr/bin/env bash
# Tool overhead per reboot cycle on the emulated board: sshd answering again → KernelSoak holding a
# verified session (goal <= 1 s). Usage: bench/reboot.sh   (starts its own board on port 2296)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd); cd "$ROOT"
W=$(mktemp -d /tmp/ks-bench-reboot-XXXX)
trap 'echo quit | nc -U -q1 "$W/qmon.sock" >/dev/null 2>&1 || true; rm -rf "$W"' EXIT
K=$(targets/qemu-arm64/build-kernel.sh 2>/dev/null | tail -1)
SSH_PORT=2296 targets/qemu-arm64/make-board.sh "$W" "$K" >/dev/null 2>&1
setsid -f sh -c "exec '$W/boot.sh' > '$W/qemu.out' 2>&1 < /dev/null"
until ssh -F "$W/ssh_config" -o ConnectTimeout=2 board true 2>/dev/null; do sleep 0.5; done
dotnet build bench/BoardBench -c Release -nologo -v quiet -clp:ErrorsOnly >/dev/null
echo "== $(nproc) cores, $(date -u +%F)"
dotnet bench/BoardBench/bin/Release/net10.0/BoardBench.dll reboot "$W" 3
