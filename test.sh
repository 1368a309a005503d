#!/usr/bin/env bash
# test.sh - build everything and run every test suite (unit, corpora, the real kernel tree,
# e2e on the emulated board), then print "N passed, N failed, N skipped" from the TRX results.
# The e2e fixture builds the board (kernel cached by config+source hash) and boots it itself.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")" && pwd)
cd "$ROOT"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 KERNELSOAK_ROOT=$ROOT
RESULTS=$ROOT/artifacts/test-results
rm -rf "$RESULTS"; mkdir -p "$RESULTS"
scripts/setup-host.sh || exit 1
dotnet build KernelSoak.slnx -c Release -nologo -v quiet -clp:ErrorsOnly || { echo "0 passed, 1 failed, 0 skipped"; exit 1; }
# One suite after another, fast ones first: the kernel and board suites each want both cores.
status=0
for suite in KernelSoak.Tests KernelSoak.Reports.Tests KernelSoak.Remote.Tests KernelSoak.Kernel.Tests KernelSoak.Board.Tests; do
  dotnet test "tests/$suite" -c Release --no-build --nologo --logger "trx;LogFileName=$suite.trx" \
    --logger "console;verbosity=normal" --results-directory "$RESULTS" "$@" || status=1
done
# Sum the counters of every TRX file: <Counters total=".." executed=".." passed=".." failed=".." ... notExecuted="..">
read -r passed failed skipped < <(cat "$RESULTS"/*.trx 2>/dev/null | grep -o '<Counters [^>]*>' | awk '
  { for (i = 1; i <= NF; i++) { split($i, kv, "="); gsub(/"|\/|>/, "", kv[2]); c[kv[1]] += kv[2] } }
  END { printf "%d %d %d\n", c["passed"], c["failed"] + c["error"] + c["timeout"] + c["aborted"], c["notExecuted"] }')
echo "${passed:-0} passed, ${failed:-0} failed, ${skipped:-0} skipped"
if [ "${passed:-0}" -eq 0 ] && [ "${failed:-0}" -eq 0 ]; then echo "no test ran" >&2; exit 1; fi
[ "$status" -eq 0 ] && [ "${failed:-0}" -eq 0 ]
