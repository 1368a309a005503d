#!/usr/bin/env bash
# Usage: bench/pipeline.sh [ROUNDS] [PATCHES]   (default 1 round of 3 patches; on a shared machine: flock -o /tmp/ks-heavy.lock bench/pipeline.sh)
#        bench/pipeline.sh --report            (the tables again from the last run's journals)
#        KS_PIPE_HEADER=include/linux/pagemap.h bench/pipeline.sh   (~200 objects a patch: a build 4x the probe, as the seed's)
#
# Builds pipelined with probes (#20 item 4): the same sequential walk on the emulated board with series.pipeline off
# and on, alternating (round r: off then on, on then off the next round), per patch wall time and phases from each
# run's journal; then src/KernelSoak.Series/PipelineModel.cs (bench/PipelineSim) with the measured costs and at the
# seed plan's proportions (../shared/seed/iter6-v3-plan.txt: a 75-90 min build, a 20 min watch).
# The series is made here, new for every run (a nonce in each patch), so no run finds another's objects in ccache:
# patch k adds one static inline function to $KS_PIPE_HEADER (default fs/ext4/ext4.h: ~30 large objects include it,
# so a patch's build outlasts the emulated board's probe, as the seed's 75-90 min build outlasts its 20 min watch;
# drivers/misc/lkdtm/lkdtm.h makes the build shorter than the probe). No baseline probe (the lkdtm WARNING every
# kernel prints is suppressed by title), no external module: only the walk is timed.
# Needs: scripts/setup-host.sh run once, the .NET SDK, perl, python3. Takes ~30 min a round on 2 cores.
# Leaves: the campaign's trees in the cache (trees/pipe-bench, trees/pipe-bench.prebuild), journals, logs and tables in
# artifacts/pipe-bench/<header>/. The board and the temp dir are removed on exit, also on failure or Ctrl+C (KS_BENCH_KEEP=1 keeps the dir).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd); cd "$ROOT"
ID=pipe-bench
HEADER=${KS_PIPE_HEADER:-fs/ext4/ext4.h}
OUT=$ROOT/artifacts/$ID/$(basename "$HEADER" .h)
die() { echo "bench/pipeline.sh: $*" >&2; exit 1; }
say() { printf '== %s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# ---------------------------------------------------------------- per patch phases from the journals, the tables, the model
report() {
python3 - "$OUT" > "$OUT/phases.tsv" <<'PY'
import json, sys, glob, os, datetime
def t(s): return datetime.datetime.fromisoformat(s).timestamp()
print("mode\tround\tpatch\twall\tapply\tbuild\tinstall\tprebuild_step\tboot\tstress\tharvest\tverdict\tprebuild\tprebuild_s")
for d in sorted(glob.glob(os.path.join(sys.argv[1], "r*-*"))):
    rnd, mode = os.path.basename(d)[1:].split("-")
    starts, ph, notes = {}, {}, {}
    for line in open(os.path.join(d, "journal")):
        e = json.loads(line)
        s, ev = e["step"], e["event"]
        if ev == "note" and s.startswith("prebuild/") and e.get("note") not in ("started", "prebuild started"):
            # "prebuild built|stopped|failed" (typed kinds) or, in older journals, "ok|stopped|failed"
            word = e["note"].removeprefix("prebuild ")
            notes[s.split("/")[1]] = ("ok" if word == "built" else word, float(e["outputs"].get("seconds", "nan")))
        if not s.startswith("bisect/"): continue
        p, rest = s.split("/")[1], "/".join(s.split("/")[2:])
        if ev == "start": starts[s] = t(e["at"]); ph.setdefault(p, {}).setdefault("first", t(e["at"]))
        elif ev == "end" and s in starts:
            phase = rest.split("/")[0]
            ph[p][phase] = ph[p].get(phase, 0) + t(e["at"]) - starts.pop(s)
            ph[p]["last"] = t(e["at"])
    for p in sorted(ph):
        x = ph[p]; n = notes.get(p, ("-", float("nan")))
        print("\t".join([mode, rnd, p] + ["%.1f" % v for v in (x["last"] - x["first"], *(x.get(k, 0) for k in ("apply", "build", "install", "prebuild", "boot", "stress", "harvest", "verdict")))] + [n[0], "%.1f" % n[1]]))
PY
python3 - "$OUT" <<'PY' > "$OUT/table.md"
import csv, sys, os, statistics as st
rows = list(csv.DictReader(open(os.path.join(sys.argv[1], "phases.tsv")), delimiter="\t"))
first = min(r["patch"] for r in rows)
def med(mode, col, later=True, pred=lambda r: True):
    v = [float(r[col]) for r in rows if r["mode"] == mode and (not later or r["patch"] != first) and pred(r)]
    return st.median(v) if v else float("nan")
cols = ["wall", "apply", "build", "install", "prebuild_step", "boot", "stress", "harvest", "verdict"]
print("| series.pipeline | patches | " + " | ".join(cols) + " | prebuilds (ok / stopped / failed) | prebuild s |")
print("|---|---|" + "---|" * (len(cols) + 2))
for mode in ("off", "on"):
    n = sum(1 for r in rows if r["mode"] == mode and r["patch"] != first)
    pre = [r["prebuild"] for r in rows if r["mode"] == mode]
    print(f"| {mode} | {n} (all but the first) | " + " | ".join("%.1f" % med(mode, c) for c in cols) +
          f" | {pre.count('ok')} / {pre.count('stopped')} / {pre.count('failed')} | {med(mode, 'prebuild_s', False, lambda r: r['prebuild'] == 'ok'):.1f} |")
win = lambda m: med(m, "boot") + med(m, "stress") + med(m, "harvest")
warm = med("on", "build", True, lambda r: any(q["mode"] == "on" and q["round"] == r["round"] and q["patch"] < r["patch"] and q["prebuild"] == "ok" for q in rows))
cold = med("off", "build")
pre = med("on", "prebuild_s", False, lambda r: r["prebuild"] == "ok")
args = [len({r["patch"] for r in rows}), med("off", "apply"), cold, warm if warm == warm else med("on", "build"), med("off", "install"),
        med("off", "boot"), med("off", "stress"), med("off", "harvest"), pre / cold if pre == pre else 1, win("on") / win("off")]
print("\nMODEL " + " ".join("%.3f" % a for a in args))
PY
grep -v '^MODEL' "$OUT/table.md" > "$OUT/table.tmp"; model=$(sed -n 's/^MODEL //p' "$OUT/table.md"); mv "$OUT/table.tmp" "$OUT/table.md"
{ cat "$OUT/table.md"; echo; dotnet "$SIM" measured $model; echo; dotnet "$SIM" seed; } | tee "$OUT/report.md"
}
dotnet build bench/PipelineSim -c Release -nologo -v quiet -clp:ErrorsOnly >/dev/null
SIM=bench/PipelineSim/bin/Release/net10.0/PipelineSim.dll
if [ "${1:-}" = --report ]; then report; exit 0; fi

ROUNDS=${1:-1}; NP=${2:-3}
[[ "$ROUNDS" =~ ^[1-9][0-9]*$ && "$NP" =~ ^[2-9]$ ]] || { echo "usage: bench/pipeline.sh [ROUNDS >= 1] [PATCHES 2-9]" >&2; exit 2; }
for c in perl python3 git nc ssh ccache aarch64-linux-gnu-gcc qemu-system-aarch64 dotnet; do
  command -v "$c" >/dev/null || die "'$c' not found: run scripts/setup-host.sh (and install the .NET SDK, perl, python3)"
done
CACHE=${KERNELSOAK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kernelsoak}
export NO_COLOR=1
W=$(mktemp -d /tmp/ks-pipe-XXXX)
B=$W/board
cleanup() {
  rc=$?
  [ ! -S "$B/qmon.sock" ] || ks "$W/warm.toml" --target=BoardDown --paths-artifacts="$W/warm" > "$W/board-down.log" 2>&1 || true
  if [ "${KS_BENCH_KEEP:-0}" = 1 ]; then echo "kept $W" >&2; else rm -rf "$W"; fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM
rm -rf "$OUT"; mkdir -p "$OUT"

# campaigns/qemu-bisect.toml with its own id and absolute paths, no baseline, no external module, the generated series.
campaign() {  # file pipeline patch-dir
  perl -0pe "s/id = \"qemu-bisect\"/id = \"$ID\"/; s#\"\\.\\./(targets|tests)/#\"$ROOT/\$1/#g;
    s/\n# Built against this kernel[^\n]*\nexternal_modules = [^\n]*//; s/baseline = true/baseline = false\npipeline = $2/;
    s#dir = \"[^\"]*tests/patches\"#dir = \"$3\"#; s/\[\[series\.patches\]\].*?(?=\[\[stress\]\])//s;
    s/\[monitor\]\n/[monitor]\nsuppress = [\"^WARNING in lkdtm_WARNING_MESSAGE\\\$\"]\n/" campaigns/qemu-bisect.toml > "$1"
  for k in $(seq "$NP"); do printf '[[series.patches]]\nid = "%04d"\n' "$k" >> "$1"; done
  grep -q "pipeline = $2" "$1" && ! grep -q external_modules "$1" || die "could not make the campaign $1"
}
# Patch k: one more static inline function before the header's last #endif; a nonce per run.
series() {  # dir nonce
  mkdir -p "$1"; local src; src=$(ls -d "$CACHE"/src/linux-* | head -1)
  git -C "$src" show HEAD:"$HEADER" > "$W/v0" || die "$HEADER not in $src"
  for k in $(seq "$NP"); do
    perl -e '($f, $line) = @ARGV; open F, $f; @l = <F>; ($i) = grep { $l[$_] =~ /^#endif/ } reverse 0..$#l; splice @l, $i, 0, "$line\n"; print @l' \
      "$W/v$((k - 1))" "static inline int ks_pipe_${2}_$k(void) { return $k; }" > "$W/v$k"
    diff -u --label "a/$HEADER" --label "b/$HEADER" "$W/v$((k - 1))" "$W/v$k" > "$1/$(printf %04d "$k")-ks-pipe.patch" || true
  done
}
PORT=$(perl -MIO::Socket::INET -e 'print IO::Socket::INET->new(Listen => 1, LocalAddr => "127.0.0.1", LocalPort => 0)->sockport')
ks() { local camp=$1; shift; ./build.sh "$@" --campaign="$camp" --board-directory="$B" --board-port="$PORT"; }

series "$W/p-warm" warm; campaign "$W/warm.toml" false "$W/p-warm"
say "configure + compile the campaign's tree at the base (warm-up, not timed; the board is off)"
for t in ConfigureKernel CompileKernel; do
  ks "$W/warm.toml" --target=$t --exclusive --paths-artifacts="$W/warm" > "$W/warm-$t.log" 2>&1 || { tail -30 "$W/warm-$t.log" >&2; die "$t failed"; }
done
# The second tree a prebuild uses, built once at the base as the campaign's own tree is (a real campaign pays this in
# its first prebuild: a whole kernel of ccache hits), with the make line the prebuild logs.
export CCACHE_DIR=${CCACHE_DIR:-$CACHE/ccache} CCACHE_NOHASHDIR=1
TREE=$CACHE/trees/$ID; PRE=$TREE.prebuild; SRC=$(git -C "$TREE" rev-parse --path-format=absolute --git-common-dir | sed 's#/\.git$##')
say "the prebuild tree $PRE at the base (warm-up, not timed)"
[ -e "$PRE/.git" ] || { git -C "$SRC" worktree prune; git -C "$SRC" worktree add -f -B "kernelsoak/$ID-prebuild" "$PRE" HEAD >/dev/null 2>&1; } || die "git worktree add $PRE failed"
git -C "$PRE" reset -q --hard "$(git -C "$SRC" rev-parse HEAD)"
mkdir -p "$PRE/.kernelsoak-build-$ID"; cp "$TREE/.kernelsoak-build-$ID/.config" "$PRE/.kernelsoak-build-$ID/.config"
make -C "$PRE" O="$PRE/.kernelsoak-build-$ID" -j"$(nproc)" ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- "CC=ccache aarch64-linux-gnu-gcc" LOCALVERSION=-ks Image modules \
  > "$W/warm-prebuild.log" 2>&1 || { tail -30 "$W/warm-prebuild.log" >&2; die "warm-up build of $PRE failed"; }
say "board: BoardUp (port $PORT)"
ks "$W/warm.toml" --target=BoardUp --paths-artifacts="$W/warm" > "$W/board-up.log" 2>&1 || { tail -20 "$W/board-up.log" >&2; die "BoardUp failed"; }

run() {  # round mode
  local r=$1 mode=$2 d=$OUT/r$1-$2 nonce; nonce=$(date +%s%N | tail -c 9)
  mkdir -p "$d"; series "$W/p-$r-$mode" "$nonce"
  campaign "$d/campaign.toml" "$([ "$mode" = on ] && echo true || echo false)" "$W/p-$r-$mode"
  cp -r "$W/p-$r-$mode" "$d/patches"
  say "round $r: series.pipeline $mode, $NP patches to $HEADER (nonce $nonce)"
  local t0; t0=$(date +%s.%N)
  ks "$d/campaign.toml" --target=Bisect"$(printf %04d "$NP")" --paths-artifacts="$W/art-$r-$mode" > "$d/output.log" 2>&1 \
    || { tail -40 "$d/output.log" >&2; die "the walk failed (log: $d/output.log)"; }
  echo "run $t0 $(date +%s.%N)" > "$d/stamps"
  cp "$W/art-$r-$mode/$ID/journal" "$d/journal"; cp -r "$W/art-$r-$mode/$ID/log" "$d/log" 2>/dev/null || true
  for k in $(seq "$NP"); do
    printf '%s %s\n' "$(printf %04d "$k")" "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["verdict"])' "$W/art-$r-$mode/$ID/bisect/$(printf %04d "$k")/verdict.json")"
  done > "$d/verdicts"
}
for r in $(seq "$ROUNDS"); do
  if [ $((r % 2)) = 1 ]; then run "$r" off; run "$r" on; else run "$r" on; run "$r" off; fi
done
say "verdicts (off, on): $(cat "$OUT"/r*-off/verdicts | awk '{print $2}' | sort | uniq -c | xargs), $(cat "$OUT"/r*-on/verdicts | awk '{print $2}' | sort | uniq -c | xargs)"
report
