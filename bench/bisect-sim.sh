#!/usr/bin/env bash
# The series search on simulated flaky bugs (no board): the adaptive search against (a) one fixed probe a
# point (today's binary mode) and (b) syzkaller's 10 fixed runs a point, over thousands of seeded
# bisections of 4–64 patches. Usage: bench/bisect-sim.sh [runs=4000] [seed=22] [probe seconds=60] [boot seconds=60]
# bench/bisect-sim.sh kary [runs=2000] [seed=21] [probe seconds=60] [boot seconds=60]: the search on 1, 2, 4, 8, 16 boards (64 patches)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd); cd "$ROOT"
dotnet build bench/BisectSim -c Release -nologo -v quiet -clp:ErrorsOnly >/dev/null
echo "== $(nproc) cores, $(date -u '+%F %H:%M UTC'), $(uname -m)"
dotnet bench/BisectSim/bin/Release/net10.0/BisectSim.dll "$@"
