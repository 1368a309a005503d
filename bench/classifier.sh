#!/usr/bin/env bash
# Classifier throughput on a ~100 MB kernel log vs grep -E with the seed plan's pattern, same file.
# Usage: bench/classifier.sh [MB]    (two logs: report-dense and soak-like; prints both times and the ratios)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd); cd "$ROOT"
MB=${1:-100}
DENSE=$(mktemp /tmp/ks-bench-dense-XXXX.log); SOAK=$(mktemp /tmp/ks-bench-soak-XXXX.log); NOISE=$(mktemp /tmp/ks-bench-noise-XXXX.log)
trap 'rm -f "$DENSE" "$SOAK" "$NOISE" /tmp/ks-bench-out' EXIT
CORPUS=tests/KernelSoak.Reports.Tests/testdata/corpus
# dense: every corpus capture back to back (a report every ~250 lines: the worst case, nearly all parsed).
while [ "$(stat -c %s "$DENSE")" -lt $((MB * 1024 * 1024)) ]; do cat $CORPUS/*/*/dmesg.txt >> "$DENSE"; done
# soak-like: real boot/driver lines (the first 150 lines of each capture hold no report) with one real
# report per ~1 MB, as a long soak's log looks.
for f in $CORPUS/*/*/dmesg.txt; do head -150 "$f"; done > "$NOISE"
reports=($CORPUS/*/*/dmesg.txt); i=0
while [ "$(stat -c %s "$SOAK")" -lt $((MB * 1024 * 1024)) ]; do
  cat "$NOISE" "$NOISE" >> "$SOAK"; cat "${reports[$((i % ${#reports[@]}))]}" >> "$SOAK"; i=$((i + 1))
done
./build.sh --tree >/dev/null   # build the host outside the timing
PATTERN='KASAN|KCSAN|BUG:|race|use-after|list_add|list_del|object .* not init'
# Output to a file, not /dev/null: GNU grep stops at the first match when it writes to /dev/null.
t1() { local s e; s=$(date +%s.%N); "$@" > /tmp/ks-bench-out; e=$(date +%s.%N); echo "$e - $s" | bc; }
# The median of five runs: single runs of either side drift by ±30 % on this machine.
t() { for _ in 1 2 3 4 5; do t1 "$@"; done | sort -g | sed -n 3p; }
startup=$(t ./build.sh --target=Classify --log=/dev/null -v quiet)
for LOG in "$DENSE" "$SOAK"; do
  grep_s=$(t grep -E "$PATTERN" "$LOG")
  ks_s=$(t ./build.sh --target=Classify --log="$LOG" --format=json -v quiet)
  # The same on one core (a log over 8 MB is otherwise scanned in two halves at once).
  one_s=$(KERNELSOAK_CLASSIFY_CORES=1 t ./build.sh --target=Classify --log="$LOG" --format=json -v quiet)
  found=$(./build.sh --target=Classify --log="$LOG" 2>&1 | grep -o '[0-9]* report(s)' | head -1)
  printf '%s log %s MB: grep -E %.2f s; KernelSoak Classify %.2f s (%s; %.2f s of it is start-up); ratio %.2fx grep, %.2fx without start-up; on one core %.2f s, %.2fx grep\n' \
    "$(basename "$LOG" | cut -d- -f3)" "$(( $(stat -c %s "$LOG") / 1024 / 1024 ))" "$grep_s" "$ks_s" "$found" "$startup" \
    "$(echo "$grep_s / $ks_s" | bc -l)" "$(echo "$grep_s / ($ks_s - $startup)" | bc -l)" "$one_s" "$(echo "$grep_s / $one_s" | bc -l)"
done
