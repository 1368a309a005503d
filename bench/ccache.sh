#!/usr/bin/env bash
# ccache across trees (issue 20). The board kernel's config, after the board's own build filled ccache:
#   (a) the board's tree, a new build directory in KernelSoak's layout: the ccache-warm floor;
#   (b) a new git worktree of that tree (what each series campaign gets), build directory in our layout;
#   (c) that worktree with the build directory beside it (the layout before issue 20), `prepare` + mm/ only
#       (a full cold build is 10+ min; mm/ shows the misses).
# Prints wall time and ccache hits/misses of each, and (b)/(a) (goal <= 2).
# Needs the board kernel built first (./build.sh or targets/qemu-arm64/build-kernel.sh). Usage: bench/ccache.sh
set -euo pipefail
trap 'rc=$?; echo "ccache.sh: line $LINENO: \`$BASH_COMMAND\` failed (exit $rc)" >&2; exit $rc' ERR
ROOT=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${KERNELSOAK_CACHE:-$HOME/.cache/kernelsoak}
KERNEL=$("$ROOT/targets/qemu-arm64/build-kernel.sh" 2>/dev/null | tail -1)
SRC=$(ls -d "$CACHE"/src/linux-* | grep -v '\.tmp$' | head -1)
export CCACHE_DIR=$CACHE/ccache CCACHE_NOHASHDIR=1
WT=$(mktemp -d /var/tmp/ks-ccache-bench.XXXXXX)
cleanup() {
  rm -rf "$SRC/.kernelsoak-build-bench-a" "$WT/beside"
  git -C "$SRC" worktree remove --force "$WT/tree" 2>/dev/null || true
  git -C "$SRC" branch -D kernelsoak/ccache-bench 2>/dev/null || true
  rm -rf "$WT"
}
trap cleanup EXIT
[ -d "$SRC/.git" ] || { git -C "$SRC" init -q; sed -i '/^\/\*$/d; /^!\/debian\/$/d' "$SRC/.gitignore"; git -C "$SRC" add -A; git -C "$SRC" -c user.name=b -c user.email=b@b commit -qm base; }
git -C "$SRC" worktree add -q -f -B kernelsoak/ccache-bench "$WT/tree" HEAD

stats() { ccache --print-stats | awk -F'\t' '$1 ~ /^(direct_cache_hit|preprocessed_cache_hit)$/ {h += $2} $1 == "cache_miss" {m = $2} END {print h + 0, m + 0}'; }
build() {  # build NAME SOURCE OBJ TARGETS...: prints "NAME seconds hits misses"
  local name=$1 src=$2 obj=$3; shift 3
  local make=(make -C "$src" O="$obj" -j"$(nproc)" ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- "CC=ccache aarch64-linux-gnu-gcc" LOCALVERSION=)
  mkdir -p "$obj"; cp "$KERNEL/config" "$obj/.config"
  "${make[@]}" -s olddefconfig >/dev/null
  read -r h0 m0 < <(stats); local t0; t0=$(date +%s.%N)
  "${make[@]}" "$@" > "$WT/$name.log" 2>&1
  local t1; t1=$(date +%s.%N); read -r h1 m1 < <(stats)
  printf '%s %.1f %d %d\n' "$name" "$(echo "$t1 - $t0" | bc)" $((h1 - h0)) $((m1 - m0))
}
echo "machine: $(nproc) cores, $(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg), source $SRC"
a=$(build a "$SRC" "$SRC/.kernelsoak-build-bench-a" Image modules); echo "(a) same tree, new build dir:        $a"
b=$(build b "$WT/tree" "$WT/tree/.kernelsoak-build-bench" Image modules); echo "(b) new worktree, our layout:        $b"
c=$(build c "$WT/tree" "$WT/beside" prepare mm/); echo "(c) new worktree, dir beside (mm/):   $c"
ta=$(echo "$a" | cut -d' ' -f2); tb=$(echo "$b" | cut -d' ' -f2)
printf '(b)/(a) = %.2f (goal <= 2)\n' "$(echo "$tb / $ta" | bc -l)"
