#!/usr/bin/env bash
# Bounded memory on a 1 GB soak-like kernel log with one 100 MB line in the middle (issue 16, item 3):
# peak RSS and time of the classifier (native kernelsoak-classify, and the task host's direct path) beside
# grep -E on the same file; checks the classifier exits 0 and finds every report put in the log.
# Usage: nice -n 19 bench/memory.sh [LOG_MB] [LONG_LINE_MB]     (default 1024 and 100; the log is deleted at the end)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd); cd "$ROOT"
LOG_MB=${1:-1024}; LONG_MB=${2:-100}
CORPUS=${KS_CORPUS:-$ROOT/../shared/corpus}
[ -d "$CORPUS" ] || CORPUS=tests/KernelSoak.Reports.Tests/testdata/corpus
WORK=$(mktemp -d /tmp/ks-bench-memory-XXXX)
trap 'rm -rf "$WORK"' EXIT
LOG=$WORK/soak.log; NOISE=$WORK/noise.log; BLOCK=$WORK/block.log
export KERNELSOAK_ROOT=$ROOT DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# The reports put in the log: one of each of five kinds, real captures (their dmesg.txt as read over SSH).
CASES=(arm64-6.1/08-corpus_kasan_oob_write arm64-6.1/01-corpus_lockdep_abba arm64-6.1/07-corpus_refcount_underflow
       arm64-6.1/17-lkdtm_CORRUPT_LIST_ADD arm64-6.1/19-lkdtm_WARNING)
# Soak-like noise: real boot/driver lines (the first 150 lines of each capture hold no report), ~10 MB a block.
for f in "$CORPUS"/*/*/dmesg.txt; do head -150 "$f"; done > "$NOISE"
while [ "$(stat -c %s "$BLOCK" 2>/dev/null || echo 0)" -lt $((10 * 1024 * 1024)) ]; do cat "$NOISE" >> "$BLOCK"; done
blocks=$(( (LOG_MB - LONG_MB) / 10 ))
report() { cat "$CORPUS/${CASES[$1]}/dmesg.txt"; }
{
  for ((b = 0; b < blocks; b++)); do
    cat "$BLOCK"
    case $b in
      $((blocks / 5))) report 0 ;;
      $((blocks / 2)))  # the long line (a runaway program's output on the console), a report right after it
        printf '[ 5000.000000] '; head -c $((LONG_MB * 1024 * 1024)) /dev/zero | tr '\0' 'A'; printf '\n'
        report 1 ;;
      $((blocks * 3 / 4))) report 2; report 3 ;;
    esac
  done
  report 4
} > "$LOG"
size_mb=$(( $(stat -c %s "$LOG") / 1024 / 1024 ))
longest=$(awk '{ if (length($0) > m) m = length($0) } END { print m }' "$LOG")

# The native classifier, built here outside the timing (as build.sh builds it on first use).
dotnet publish src/KernelSoak.Classify -c Release -o "$WORK/classify" -nologo -v quiet > "$WORK/publish.log" 2>&1 \
  || { tail -20 "$WORK/publish.log"; echo "kernelsoak-classify did not build" >&2; exit 1; }
HOST=build/bin/Release/net10.0/KernelSoak.Build.dll
[ -f "$HOST" ] || dotnet build build/Build.csproj -c Release -nologo -v quiet > "$WORK/host-build.log" 2>&1

PATTERN='KASAN|KCSAN|BUG:|race|use-after|list_add|list_del|object .* not init'
# Peak RSS and wall time of one command (GNU time -v); its output to a file (grep stops at the first match on /dev/null).
measure() {
  local name=$1 out=$2; shift 2
  local rc=0
  /usr/bin/time -v -o "$WORK/time-$name" "$@" > "$out" 2> "$WORK/err-$name" || rc=$?
  local rss wall
  rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$WORK/time-$name")
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { print $2 }' "$WORK/time-$name")
  printf '%-22s exit %d  peak RSS %7.1f MiB  wall %s\n' "$name" "$rc" "$(echo "$rss / 1024" | bc -l)" "$wall"
  return $rc
}
# Every report put in the log must be in the classifier's JSON (its header line, prefixes off).
found() {
  local json=$1 missing=0 c first
  for c in "${CASES[@]}"; do
    first=$(jq -r .first_line "$CORPUS/$c/expected.json")
    jq -r '.[].first_line' "$json" | grep -qxF -- "$first" || { echo "  MISSING: $first ($c)"; missing=1; }
  done
  echo "  $(jq length "$json") distinct title(s); the ${#CASES[@]} reports put in: $([ $missing = 0 ] && echo all found || echo NOT all found)"
  return $missing
}

echo "log: $size_mb MiB, longest line $longest bytes, ${#CASES[@]} reports; $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%FT%TZ)"
status=0
measure "grep -E" "$WORK/grep.out" grep -E "$PATTERN" "$LOG" || [ $? = 1 ] || status=1
measure "kernelsoak-classify" "$WORK/native.json" "$WORK/classify/kernelsoak-classify" --target=Classify --log="$LOG" --format=json -v quiet || status=1
found "$WORK/native.json" || status=1
measure "task host Classify" "$WORK/host.json" dotnet "$HOST" --target=Classify --log="$LOG" --format=json -v quiet || status=1
found "$WORK/host.json" || status=1
rm -f "$LOG"
exit $status
