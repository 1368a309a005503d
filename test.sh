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
KS_CALLER=./test.sh scripts/setup-host.sh --for-tests || { echo "test.sh: setting up the host failed (above)"; echo "0 passed, 1 failed, 0 skipped"; exit 1; }
# The sudo tests need two local logins; as root (CI, a fresh machine) the README's command makes them too.
if [ "$(id -u)" = 0 ]; then scripts/test-users.sh || { echo "test.sh: scripts/test-users.sh failed (above)"; echo "0 passed, 1 failed, 0 skipped"; exit 1; }
else echo "test.sh: not root, so the sudo tests will be skipped (run as root, or scripts/test-users.sh once as root)" >&2; fi
dotnet build KernelSoak.slnx -c Release -nologo -v quiet -clp:ErrorsOnly || { echo "test.sh: the solution did not build (above)"; echo "0 passed, 1 failed, 0 skipped"; exit 1; }
# One suite after another, fast ones first: the kernel and board suites each want both cores.
status=0
timings=()
aborted=()
for suite in KernelSoak.Tests KernelSoak.Reports.Tests KernelSoak.Lava.Tests KernelSoak.Remote.Tests KernelSoak.Kernel.Tests KernelSoak.Board.Tests; do
  started=$(date +%s)
  dotnet test "tests/$suite" -c Release --no-build --nologo --logger "trx;LogFileName=$suite.trx" \
    --logger "console;verbosity=normal" --results-directory "$RESULTS" "$@" || {
    status=1
    # A crashed or killed test host leaves its unrun tests out of the TRX: the run failed with no failed test in
    # it. Such a suite counts as one failure, never as a quiet pass.
    # Test results only: an aborted run's TRX also says outcome="Failed"/"Error" in its summary, about the run.
    # (grep reads to the end, not -q: under pipefail, -q's early exit is the first grep's SIGPIPE, a "not found".)
    grep -o '<UnitTestResult [^>]*>' "$RESULTS/$suite.trx" 2>/dev/null | grep 'outcome="\(Failed\|Error\|Timeout\|Aborted\)"' >/dev/null || aborted+=("$suite")
  }
  timings+=("$(printf '%-26s %5d s' "$suite" $(( $(date +%s) - started )))")
done
echo "== wall time per suite"; printf '   %s\n' "${timings[@]}"
# CI keeps only the tail of this output: name each failed test and its message's first line here, at the end.
for trx in "$RESULTS"/*.trx; do
  [ -f "$trx" ] || continue
  awk -v suite="$(basename "$trx" .trx)" '
    /<UnitTestResult / { name = ""; bad = 0
      if (match($0, /testName="[^"]*"/)) name = substr($0, RSTART + 10, RLENGTH - 11)
      if ($0 ~ /outcome="(Failed|Error|Timeout|Aborted)"/) { bad = 1; print "== failed: " suite ": " name } }
    bad && /<Message>/ { sub(/.*<Message>/, ""); sub(/<\/Message>.*/, "")
      gsub(/&quot;/, "\""); gsub(/&apos;/, "\047"); gsub(/&lt;/, "<"); gsub(/&gt;/, ">"); gsub(/&amp;/, "\\&")
      print "     " substr($0, 1, 400); bad = 0 }' "$trx"
done
# Count every test result by its outcome: the TRX counters leave NUnit's ignored tests out ("notExecuted" 0),
# so a skip would vanish from the closing line. Passed; Failed/Error/Timeout/Aborted; anything else is a skip.
read -r passed failed skipped < <(cat "$RESULTS"/*.trx 2>/dev/null | grep -o '<UnitTestResult [^>]*>' | grep -o ' outcome="[A-Za-z]*"' | awk -F'"' '
  { if ($2 == "Passed") p++; else if ($2 ~ /^(Failed|Error|Timeout|Aborted)$/) f++; else s++ }
  END { printf "%d %d %d\n", p, f, s }')
for suite in ${aborted[@]+"${aborted[@]}"}; do
  echo "test.sh: $suite did not finish (its test host crashed or was killed; see 'Test Run Aborted' above): counted as 1 failed"
  failed=$(( ${failed:-0} + 1 ))
done
echo "${passed:-0} passed, ${failed:-0} failed, ${skipped:-0} skipped"
if [ "${passed:-0}" -eq 0 ] && [ "${failed:-0}" -eq 0 ]; then echo "no test ran" >&2; exit 1; fi
[ "$status" -eq 0 ] && [ "${failed:-0}" -eq 0 ]
