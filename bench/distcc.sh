#!/usr/bin/env bash
# Builds past one host (#21 item 4): the board kernel's config, the objects of lib/ mm/ kernel/ built from
# nothing, side by side in one run (alternating, ROUNDS times):
#   (a) plain `make -j$(nproc)`, no ccache: what a user does;
#   (b) KernelSoak's [Build] Distcc path: ccache (an empty cache: every object a miss) with distcc as its
#       prefix, to a distccd on 127.0.0.1 with $(nproc) slots;
#   (c) the same with ccache's depend mode (CCACHE_DEPEND=1: the object is hashed from the compiler's own
#       dependency file, so ccache does not run the preprocessor a second time on the build host);
# all of it on this one host, so the wall times show the plumbing's cost. From distccd's log and the build
# host's CPU time: what stays on the build host and what distcc moves, and the projection for the seed plan's
# build (75–90 min on one host) with 1, 2 and 4 helper hosts of the same kind.
# Needs the board kernel built (./build.sh or targets/qemu-arm64/build-kernel.sh), distcc, ccache, GNU time.
# Usage: bench/distcc.sh [ROUNDS]   (default 1; about 6 min a round on 2 cores)
set -euo pipefail
trap 'rc=$?; echo "distcc.sh: line $LINENO: \`$BASH_COMMAND\` failed (exit $rc)" >&2; exit $rc' ERR
ROUNDS=${1:-1}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${KERNELSOAK_CACHE:-$HOME/.cache/kernelsoak}
for tool in distcc distccd ccache aarch64-linux-gnu-gcc /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "distcc.sh needs $tool (scripts/setup-host.sh --for-tests installs it)" >&2; exit 2; }
done
KERNEL=$("$ROOT/targets/qemu-arm64/build-kernel.sh" 2>/dev/null | tail -1)
SRC=$(ls -d "$CACHE"/src/linux-* | grep -v '\.tmp$' | head -1)
[ -f "$KERNEL/config" ] && [ -f "$SRC/Makefile" ] || { echo "no board kernel: run ./build.sh first" >&2; exit 2; }
W=$(mktemp -d /var/tmp/ks-distcc-bench.XXXXXX)
chmod 777 "$W"   # distccd drops root for its own user: its log must be writable by it
PORT=$((20000 + RANDOM % 20000))
distccd --daemon --no-detach --listen 127.0.0.1 --port "$PORT" --allow 127.0.0.1 --jobs "$(nproc)" \
  --log-file "$W/distccd.log" --log-level info & DISTCCD=$!
trap 'kill $DISTCCD 2>/dev/null; rm -rf "$W"' EXIT
DIRS=(lib mm kernel)
make_in() {  # make_in OBJ [VAR=VALUE...] TARGETS...
  local obj=$1; shift
  make -C "$SRC" O="$obj" ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- LOCALVERSION= "$@"
}
for v in a b c; do
  mkdir -p "$W/$v"; cp "$KERNEL/config" "$W/$v/.config"
  make_in "$W/$v" -s olddefconfig >/dev/null; make_in "$W/$v" -s -j"$(nproc)" prepare >/dev/null 2>&1
done
# run NAME: the objects of DIRS from nothing; prints "seconds cpu-seconds objects"
run() {
  local v=$1 obj=$W/$1; rm -rf "${DIRS[@]/#/$obj/}"
  local make=(-j"$(nproc)" "${DIRS[@]/%//}")
  local env=(env CCACHE_DISABLE=1)
  if [ "$v" != a ]; then
    rm -rf "$W/ccache"
    env=(env CCACHE_DIR="$W/ccache" CCACHE_PREFIX=distcc DISTCC_HOSTS="127.0.0.1:$PORT/$(nproc)")
    [ "$v" = c ] && env+=(CCACHE_DEPEND=1)
    make=(-j"$(( $(nproc) + 1 ))" "CC=ccache aarch64-linux-gnu-gcc" "${DIRS[@]/%//}")   # KernelMake's -j: this host + distcc's slots
  fi
  local t0; t0=$(date +%s.%N)
  /usr/bin/time -f '%U %S' -o "$W/$v.time" "${env[@]}" make -C "$SRC" O="$obj" ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- LOCALVERSION= "${make[@]}" > "$W/$v.log" 2>&1 \
    || { tail -20 "$W/$v.log" >&2; tail -5 "$W/distccd.log" >&2; return 1; }
  local t1; t1=$(date +%s.%N)
  printf '%.1f %.1f %d\n' "$(echo "$t1 - $t0" | bc)" "$(awk '{print $1 + $2}' "$W/$v.time")" "$(find "${DIRS[@]/#/$obj/}" -name '*.o' | wc -l)"
}
echo "machine: $(nproc) cores, $(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg), kernel $(cat "$KERNEL/kernel.release"), objects of ${DIRS[*]}"
A=(); B=(); C=()
for r in $(seq "$ROUNDS"); do
  read -r s c n < <(run a); A+=("$s"); plain_cpu=$c; echo "round $r (a) plain make:                      $s s wall, $c s CPU, $n objects"
  for v in b c; do
    : > "$W/distccd.log"
    read -r s c n < <(run $v)
    # distccd's "time:Nms" per job: the compile of the preprocessed source, the work distcc moves ("cc times"
    # read 0 here). kernel/configs.c (.incbin of a generated file) fails remotely and distcc's own retry
    # compiles it locally, as in a user's build.
    remote=$(sed -n 's/.*COMPILE_OK.*time:\([0-9]*\)ms.*/\1/p' "$W/distccd.log" | awk '{s += $1} END {print s / 1000}')
    jobs=$(grep -c 'COMPILE_OK' "$W/distccd.log" || true)
    if [ $v = b ]; then B+=("$s"); b_cpu=$c; b_remote=$remote; what="ccache + distcc         "; else C+=("$s"); c_cpu=$c; c_remote=$remote; what="ccache depend + distcc  "; fi
    echo "round $r ($v) $what (1 host): $s s wall, $c s CPU on the build host, distccd compiled $jobs objects in $remote s"
  done
done
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
a=$(median "${A[@]}"); b=$(median "${B[@]}"); c=$(median "${C[@]}")
# The model: with H helpers, the build host's own share (make, preprocessing, ccache, ld) and the compiles spread
# over the helpers run side by side, so the build takes the longer of the two, each scaled from this measurement
# to the seed's build (its plain CPU time = 75 or 90 min on one host). The network is not counted.
awk -v a="$a" -v b="$b" -v c="$c" -v plain="$plain_cpu" -v bl="$b_cpu" -v br="$b_remote" -v cl="$c_cpu" -v cr="$c_remote" 'BEGIN {
  printf "median wall on one host: (a) %.1f s, (b) %.1f s = %.2fx, (c) %.1f s = %.2fx\n", a, b, b / a, c, c / a
  printf "per unit of plain CPU: (b) build host %.2f, compiles %.2f; (c) build host %.2f, compiles %.2f\n", bl / plain, br / plain, cl / plain, cr / plain
  printf "projection for the seed build, max(build host share, compiles / helpers):\n"
  printf "| helper hosts | (b) from 75 min | (b) from 90 min | (c) from 75 min | (c) from 90 min |\n|---|---|---|---|---|\n"
  for (h = 1; h <= 4; h *= 2) {
    pb = (bl / plain > br / plain / h) ? bl / plain : br / plain / h
    pc = (cl / plain > cr / plain / h) ? cl / plain : cr / plain / h
    printf "| %d | %.0f min | %.0f min | %.0f min | %.0f min |\n", h, 75 * pb, 90 * pb, 75 * pc, 90 * pc
  }
}'
