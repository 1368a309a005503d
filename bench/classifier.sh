#!/usr/bin/env bash
# Classifier throughput on a ~100 MB kernel log vs grep -E with the seed plan's pattern, same file.
# Usage: bench/classifier.sh [MB]    (prints both times and the ratio)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd); cd "$ROOT"
MB=${1:-100}
LOG=$(mktemp /tmp/ks-bench-XXXX.log)
trap 'rm -f "$LOG" "$LOG.out"' EXIT
while [ "$(stat -c %s "$LOG")" -lt $((MB * 1024 * 1024)) ]; do
  cat tests/KernelSoak.Reports.Tests/testdata/corpus/*/*/dmesg.txt >> "$LOG"
done
./build.sh --tree >/dev/null   # build the host outside the timing
PATTERN='KASAN|KCSAN|BUG:|race|use-after|list_add|list_del|object .* not init'
# Output to a file, not /dev/null: GNU grep stops at the first match when it writes to /dev/null.
t() { local s e; s=$(date +%s.%N); "$@" > "$LOG.out"; e=$(date +%s.%N); echo "$e - $s" | bc; }
grep_s=$(t grep -E "$PATTERN" "$LOG")
ks_s=$(t ./build.sh --target=Classify --log="$LOG" --format=json -v quiet)
reports=$(./build.sh --target=Classify --log="$LOG" 2>&1 | grep -o '[0-9]* report(s)' | head -1)
printf 'log %s MB; grep -E %.2f s; KernelSoak Classify %.2f s (%s, incl. ~0.3 s start-up); speed ratio %.2f x grep\n' \
  "$(( $(stat -c %s "$LOG") / 1024 / 1024 ))" "$grep_s" "$ks_s" "$reports" "$(echo "$grep_s / $ks_s" | bc -l)"
