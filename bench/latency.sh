#!/usr/bin/env bash
# Detection latency on the emulated board: host asks lkdtm for a WARNING → the report event, over the SSH
# kernel-log stream and over netconsole. Usage: bench/latency.sh   (starts its own board on port 2297)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd); cd "$ROOT"
. bench/own-board.sh 2297
echo "== $(nproc) cores, $(date -u +%F)"
dotnet bench/BoardBench/bin/Release/net10.0/BoardBench.dll latency "$W" 6699
