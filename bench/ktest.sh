#!/usr/bin/env bash
# Usage: bench/ktest.sh [ROUNDS | --report]   (ROUNDS >= 1, default 2; --report: the table again from the last run)
#        on a shared machine: flock /tmp/ks-heavy.lock bench/ktest.sh
#
# ktest.pl side by side with KernelSoak (#20 item 2): the kernel tree's own tools/testing/ktest/ktest.pl and
# KernelSoak's sequential walk, on the same emulated board, the same two patches (tests/patches 0001, 0002), the same
# .config, cross compiler and ccache, each on its own warm tree, alternating per patch:
#   round r: ktest 0001, KernelSoak 0001, ktest 0002, KernelSoak 0002
# and prints per-phase medians (apply, build, install, boot to verified, test/stress, harvest) for each tool and the
# ratio KernelSoak/ktest of the per-patch cycle outside the test/stress window. Phases: KernelSoak's from its journal,
# ktest's from `date +%s.%N` stamps its hooks write (bench/ktest/board.conf says how ktest is set up).
#
# Needs: scripts/setup-host.sh run once (cross gcc, qemu-system-arm, u-boot-qemu, linux-source-6.1, ccache, mtools,
# netcat-openbsd, qemu-user, the arm64 architecture), the .NET SDK (./build.sh) and perl. Takes 20-30 min
# on 2 cores (the first run longer: it builds the board kernel and warms two kernel trees).
# Leaves: two kernel trees in the cache (trees/ktest-bench for KernelSoak, trees/ktest-bench-ktest for ktest, kept
# warm for the next run) and the raw numbers in artifacts/ktest-bench/ (ktest logs, journals, stamps, table.md).
# The board and every temp file are removed on exit, also on failure or Ctrl+C. KS_BENCH_KEEP=1 keeps the temp dir.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd); cd "$ROOT"
# ---------------------------------------------------------------- phases and medians (also: bench/ktest.sh --report)
report() {
# One line per patch run: tool round patch apply build install boot test harvest cycle wall other
phases=$OUT/phases.tsv; : > "$phases"
for d in "$OUT"/ktest-r*; do
  r=${d##*/ktest-r}; p=${r#*-}; r=${r%-*}
  awk -v r="$r" -v p="$p" '{t[$1] = $2} END {
    apply = t["build0"] - t["start"]; build = t["build1"] - t["build0"]; install = t["install1"] - t["build1"]
    boot = t["verified"] - t["install1"]; test = t["test-end"] - t["verified"]; cycle = t["verified"] - t["start"]
    wall = t["exit"] - t["run"]
    printf "ktest\t%s\t%s\t%.1f\t%.1f\t%.1f\t%.1f\t%.1f\t0\t%.1f\t%.1f\t%.1f\n", r, p, apply, build, install, boot, test, cycle, wall, wall - cycle - test }' "$d/stamps" >> "$phases"
done
for d in "$OUT"/ks-r*; do
  r=${d##*/ks-r}; p=${r#*-}; r=${r%-*}
  # each step's last start→end; steps of this patch (bisect/P/...) sorted into phases, the rest of the run is "other"
  # (perl's core JSON::PP: jq is not among setup-host.sh's packages) step, event, epoch seconds, fraction digits
  perl -MJSON::PP -MTime::Local=timegm -ne '$e = decode_json($_); next unless $e->{event} =~ /^(start|end)$/;
    $e->{at} =~ /^(\d+)-(\d+)-(\d+)T(\d+):(\d+):(\d+)(?:\.(\d+))?/ or next;
    print join("\t", $e->{step}, $e->{event}, timegm($6, $5, $4, $3, $2 - 1, $1), $7 // "0"), "\n"' "$d/journal" |
    awk -F'\t' -v pre="bisect/$p/" -v r="$r" -v p="$p" -v run="$(sed -n 's/^run //p' "$d/stamps")" -v ex="$(sed -n 's/^exit //p' "$d/stamps")" '
    { t = $3 + ("0." $4) }
    $2 == "start" { s[$1] = t; next }
    $2 == "end" && ($1 in s) { d = t - s[$1]; delete s[$1]
      if (index($1, pre) != 1) next
      n = substr($1, length(pre) + 1)
      if (n ~ /^apply/) ph["apply"] += d; else if (n ~ /^build|kernel\//) ph["build"] += d; else if (n ~ /install/) ph["install"] += d
      else if (n ~ /boot/) ph["boot"] += d; else if (n ~ /stress/) ph["test"] += d; else if (n ~ /harvest/) ph["harvest"] += d; else ph["rest"] += d
      }
    END { cycle = ph["apply"] + ph["build"] + ph["install"] + ph["boot"] + ph["harvest"] + ph["rest"]; wall = ex - run
      printf "KernelSoak\t%s\t%s\t%.1f\t%.1f\t%.1f\t%.1f\t%.1f\t%.1f\t%.1f\t%.1f\t%.1f\n", r, p, ph["apply"], ph["build"], ph["install"], ph["boot"], ph["test"], ph["harvest"], cycle, wall, wall - cycle - ph["test"] }' >> "$phases"
  perl -MJSON::PP -ne '$e = decode_json($_); print "$e->{step}\n" if $e->{event} eq "end"' "$d/journal" | sort -u > "$d/steps.txt"
done
median() { sort -g | awk '{v[NR] = $1} END { if (NR == 0) print "-"; else if (NR % 2) printf "%.1f", v[(NR + 1) / 2]; else printf "%.1f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
col() { awk -F'\t' -v t="$1" -v c="$2" '$1 == t {print $c}' "$phases" | median; }
{
  echo "| tool | apply | build | install | boot to verified | harvest | **cycle outside test** | test / stress | run overhead outside the cycle | wall per patch |"
  echo "|---|---|---|---|---|---|---|---|---|---|"
  for t in ktest KernelSoak; do
    printf '| %s | %s | %s | %s | %s | %s | **%s** | %s | %s | %s |\n' "$t" "$(col $t 4)" "$(col $t 5)" "$(col $t 6)" "$(col $t 7)" \
      "$(col $t 9)" "$(col $t 10)" "$(col $t 8)" "$(col $t 12)" "$(col $t 11)"
  done
} > "$OUT/table.md"
kc=$(col ktest 10); sc=$(col KernelSoak 10); kw=$(col ktest 11); sw=$(col KernelSoak 11); kt=$(col ktest 8); st=$(col KernelSoak 8)
{
  echo
  echo "Medians in seconds over $ROUNDS round(s) x ${#PATCHES[@]} patches ($(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load at the end $(cut -d' ' -f1-3 /proc/loadavg))."
  awk -v a="$sc" -v b="$kc" 'BEGIN { printf "Per-patch cycle outside the test/stress window, KernelSoak/ktest: %.2fx (goal <= 0.6x: %s)\n", a / b, (a / b <= 0.6 ? "met" : "not met") }'
  awk -v a="$sw" -v b="$kw" -v x="$st" -v y="$kt" 'BEGIN { printf "Whole invocation less the test/stress window, KernelSoak/ktest: %.2fx\n", (a - x) / (b - y) }'
  echo
  echo "Each run (seconds):"
  printf 'tool\tround\tpatch\tapply\tbuild\tinstall\tboot\ttest\tharvest\tcycle\twall\toverhead\n'
  sort -k3,3 -k2,2n -k1,1 "$phases"
} >> "$OUT/table.md"
cat "$OUT/table.md"
}
ROUNDS=${1:-2}
if [ "$ROUNDS" = --report ]; then  # the table again from the last run's artifacts/ktest-bench
  OUT=$ROOT/artifacts/ktest-bench; ROUNDS=$(ls -d "$OUT"/ks-r*-0001 2>/dev/null | wc -l); PATCHES=(0001 0002)
  [ "$ROUNDS" -gt 0 ] || { echo "no run in $OUT" >&2; exit 1; }
  report; exit 0
fi
[[ "$ROUNDS" =~ ^[1-9][0-9]*$ ]] || { echo "usage: bench/ktest.sh [ROUNDS]  (a number >= 1; got '$ROUNDS')" >&2; exit 2; }
die() { echo "bench/ktest.sh: $*" >&2; exit 1; }
say() { printf '== %s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# ---------------------------------------------------------------- what it needs
for c in perl git nc ssh scp ccache aarch64-linux-gnu-gcc qemu-system-aarch64 mcopy dotnet; do
  command -v "$c" >/dev/null || die "'$c' not found: run scripts/setup-host.sh (and install the .NET SDK and perl)"
done
[ -f /usr/lib/u-boot/qemu_arm64/u-boot.bin ] || die "no U-Boot for the board: run scripts/setup-host.sh"
dpkg --print-foreign-architectures 2>/dev/null | grep -qx arm64 || die "the arm64 architecture is not added: run scripts/setup-host.sh"
PATCHES=(0001 0002)
for p in "${PATCHES[@]}"; do ls tests/patches/"$p"-*.patch >/dev/null 2>&1 || die "tests/patches/$p-*.patch missing"; done
CACHE=${KERNELSOAK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kernelsoak}
export CCACHE_DIR=${CCACHE_DIR:-$CACHE/ccache} CCACHE_NOHASHDIR=1 NO_COLOR=1
JOBS=$(nproc)
ID=ktest-bench
OUT=$ROOT/artifacts/$ID
BENCH=$ROOT/bench/ktest

W=$(mktemp -d /tmp/ks-ktest-XXXX)
B=$W/board
cleanup() {
  rc=$?
  if [ -S "$B/qmon.sock" ]; then
    pid=$(cat "$B/qemu.pid" 2>/dev/null || true)
    echo quit | nc -U -q1 "$B/qmon.sock" >/dev/null 2>&1 || true
    for _ in $(seq 50); do [ -n "$pid" ] && [ -d "/proc/$pid" ] && [ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" != Z ] || break; sleep 0.2; done
    [ -z "$pid" ] || ! [ -d "/proc/$pid" ] || kill "$pid" 2>/dev/null || true
  fi
  if [ "${KS_BENCH_KEEP:-0}" = 1 ]; then echo "kept $W" >&2; else rm -rf "$W"; fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM
rm -rf "$OUT"; mkdir -p "$OUT"

# ---------------------------------------------------------------- the board kernel and the KernelSoak campaign
# campaigns/qemu-bisect.toml for two patches: own id (own tree), absolute paths, no baseline probe (the lkdtm WARNING
# every kernel prints is suppressed by title instead, as the e2e tests do), no external module (ktest builds none).
CAMP=$W/$ID.toml
perl -0pe "s/id = \"qemu-bisect\"/id = \"$ID\"/; s#\"\\.\\./(targets|tests)/#\"$ROOT/\$1/#g;
  s/\n# Built against this kernel[^\n]*\nexternal_modules = [^\n]*//; s/baseline = true/baseline = false/;
  s/\[\[series\.patches\]\]\nid = \"0003\"\n[^\n]*\n//; s/\[monitor\]\n/[monitor]\nsuppress = [\"^WARNING in lkdtm_WARNING_MESSAGE\\\$\"]\n/" \
  campaigns/qemu-bisect.toml > "$CAMP"
grep -q 'external_modules' "$CAMP" && die "could not drop external_modules from the campaign copy"
grep -q 'id = "0003"' "$CAMP" && die "could not drop patch 0003 from the campaign copy"
ks() { ./build.sh "$@" --campaign="$CAMP" --board-directory="$B" --board-port="$PORT"; }
PORT=$(perl -MIO::Socket::INET -e 'print IO::Socket::INET->new(Listen => 1, LocalAddr => "127.0.0.1", LocalPort => 0)->sockport')

# Both trees are built before the board is on (an idle emulated board costs most of a host core).
say "KernelSoak: configure + compile its tree at the base (warm-up, not timed)"
for t in ConfigureKernel CompileKernel; do
  ks --target=$t --exclusive --paths-artifacts="$W/ks-warm" > "$W/ks-warm-$t.log" 2>&1 || { tail -30 "$W/ks-warm-$t.log" >&2; die "KernelSoak $t failed"; }
done
KSTREE=$CACHE/trees/$ID
KSCONFIG=$(ls -d "$KSTREE"/.kernelsoak-build-*/.config 2>/dev/null | head -1)
[ -f "$KSCONFIG" ] || die "no .config in $KSTREE after ConfigureKernel"
SRC=$(git -C "$KSTREE" rev-parse --path-format=absolute --git-common-dir | sed 's#/\.git$##')
BASE=$(git -C "$SRC" rev-parse HEAD)

# ---------------------------------------------------------------- ktest's tree: the series as commits on the base
KTREE=$CACHE/trees/$ID-ktest
KTEST=$KTREE/tools/testing/ktest/ktest.pl
say "ktest: its tree $KTREE with 0001 0002 as commits on the base"
if [ ! -e "$KTREE/.git" ]; then git -C "$SRC" worktree prune; git -C "$SRC" worktree add -f --detach "$KTREE" "$BASE" >/dev/null 2>&1 || die "git worktree add $KTREE failed"; fi
git -C "$KTREE" checkout -q -f --detach "$BASE"
for p in "${PATCHES[@]}"; do
  git -C "$KTREE" -c user.name=bench -c user.email=bench@localhost am -q --3way "$ROOT"/tests/patches/"$p"-*.patch || die "git am $p in $KTREE failed"
  declare "COMMIT_$p=$(git -C "$KTREE" rev-parse HEAD)"
done
git -C "$KTREE" checkout -q --detach "$BASE"
[ -f "$KTEST" ] || die "$KTEST not found in the kernel tree"
KOBJ=$KTREE/.ktest-build; mkdir -p "$KOBJ"
cp "$KSCONFIG" "$KOBJ/.config"; echo -ktest > "$KOBJ/localversion"
KMAKE=(make -C "$KTREE" O="$KOBJ" -j"$JOBS" ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- "CC=ccache aarch64-linux-gnu-gcc" LOCALVERSION=)
say "ktest: compile its tree at the base with KernelSoak's .config (warm-up, not timed)"
"${KMAKE[@]}" olddefconfig Image modules > "$W/ktest-warm.log" 2>&1 || { tail -30 "$W/ktest-warm.log" >&2; die "warm-up build of $KTREE failed"; }
KREL=$("${KMAKE[@]}" -s kernelrelease)

# ---------------------------------------------------------------- the board, with a "ktest" label (known-good stays the default)
# KernelSoak's own BoardUp makes it (make-board.sh, stamped "built-from") and powers it on: every KernelSoak run starts
# with BoardUp, which would rebuild a board it did not make itself (and so drop the ktest label below).
say "board: KernelSoak's BoardUp (image + power-on, port $PORT)"
ks --target=BoardUp --paths-artifacts="$W/ks-board" > "$W/board-up.log" 2>&1 || { tail -20 "$W/board-up.log" >&2; die "BoardUp failed"; }
# The label ktest boots: /Image with known-good's command line + the campaign's append_extra, as KernelSoak's label has.
ssh -F "$B/ssh_config" board 'f=/boot/firmware/extlinux/extlinux.conf
  app=$(awk "/^label known-good/ {k=1} k && \$1 == \"append\" {sub(/^[ \t]*append[ \t]+/, \"\"); print; exit}" $f)
  printf "label ktest\n    menu label ktest (/Image)\n    kernel /Image\n    append %s page_poison=1 kasan_multi_shot\n" "$app" >> $f
  sync; cat $f' > "$OUT/extlinux.conf"
grep -q '^label ktest' "$OUT/extlinux.conf" || die "could not add the ktest label to the board's extlinux.conf"

# ---------------------------------------------------------------- the rounds
ktest_run() {  # r p
  local r=$1 p=$2 d=$OUT/ktest-r$1-$2 commit
  commit=COMMIT_$p; mkdir -p "$d" "$W/ktmp"
  { printf '%s := %s\n' BENCH "$BENCH" BOARD "$B" SSH_CONFIG "$B/ssh_config" KTREE "$KTREE" PATCH_COMMIT "${!commit}" \
      RELEASE "$KREL" STAMPS "$d/stamps" LOGDIR "$d" TMPW "$W/ktmp" JOBS "$JOBS"; echo; cat "$BENCH/board.conf"; } > "$d/ktest.conf"
  echo "IGNORE_UNUSED = 1" >> "$d/ktest.conf"
  say "round $r: ktest $p"
  ssh -F "$B/ssh_config" board "grep -q '^label ktest' /boot/firmware/extlinux/extlinux.conf" \
    || die "the board's extlinux.conf lost its ktest label (was the board rebuilt?)"
  echo "run $(date +%s.%N)" > "$d/stamps"
  (cd "$KTREE" && perl "$KTEST" "$d/ktest.conf") < /dev/null > "$d/stdout.log" 2>&1 || { tail -40 "$d/stdout.log" >&2; die "ktest.pl failed on $p (log: $d)"; }
  echo "exit $(date +%s.%N)" >> "$d/stamps"
  grep -q '^test-end ' "$d/stamps" || die "ktest's test did not run on $p ($d/stdout.log)"
}
ks_run() {  # r p
  local r=$1 p=$2 d=$OUT/ks-r$1-$2
  mkdir -p "$d"
  say "round $r: KernelSoak $p"
  echo "run $(date +%s.%N)" > "$d/stamps"
  ks --target=Bisect"$p" --paths-artifacts="$W/ks-r$r" > "$d/output.log" 2>&1 || { tail -40 "$d/output.log" >&2; die "KernelSoak Bisect$p failed (log: $d)"; }
  echo "exit $(date +%s.%N)" >> "$d/stamps"
  cp "$W/ks-r$r/$ID/journal" "$d/journal"
  [ -f "$W/ks-r$r/$ID/bisect/$p/verdict.json" ] || die "no verdict for $p ($d/output.log)"
}
for r in $(seq "$ROUNDS"); do
  for p in "${PATCHES[@]}"; do ktest_run "$r" "$p"; ks_run "$r" "$p"; done
done

report
say "done: $OUT (ktest logs, KernelSoak journals and outputs, phases.tsv, table.md)"
