#!/usr/bin/env bash
# Tool overhead per reboot cycle on the emulated board: sshd answering again → KernelSoak holding a
# verified session (goal <= 1 s). Usage: bench/reboot.sh   (starts its own board on port 2296)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd); cd "$ROOT"
. bench/own-board.sh 2296
echo "== $(nproc) cores, $(date -u +%F)"
dotnet bench/BoardBench/bin/Release/net10.0/BoardBench.dll reboot "$W" 4
