#!/usr/bin/env bash
# No-change CompileKernel vs a bare 'make' no-op on the same tree and build directory (qemu-demo).
# Needs one finished build first (./build.sh --target=CompileKernel). Usage: bench/compile-noop.sh
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd); cd "$ROOT"
CACHE=${KERNELSOAK_CACHE:-$HOME/.cache/kernelsoak}
SRC=$(ls -d "$CACHE"/src/linux-* | grep -v '\.tmp$' | head -1)
OBJ=$SRC/.kernelsoak-build-qemu-demo
export CCACHE_DIR=$CACHE/ccache
t() { local s e; s=$(date +%s.%N); "$@" >/dev/null 2>&1; e=$(date +%s.%N); echo "$e - $s" | bc; }
./build.sh --target=CompileKernel --exclusive >/dev/null   # warm: the host is built, the journal knows
ks=$(t ./build.sh --target=CompileKernel --exclusive)
mk=$(t make -C "$SRC" O="$OBJ" -j"$(nproc)" ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- "CC=ccache aarch64-linux-gnu-gcc" LOCALVERSION=-ks Image modules)
printf 'no-change: KernelSoak CompileKernel %.2f s; bare make Image modules no-op %.2f s; ratio %.2f (goal <= 0.5)\n' "$ks" "$mk" "$(echo "$ks / $mk" | bc -l)"
