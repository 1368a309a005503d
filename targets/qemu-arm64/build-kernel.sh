#!/bin/bash
# build-kernel.sh - the emulated board's test kernel, cached by config + source + toolchain hash.
# Prints the cache directory (holding Image, kernel.release, config, modules/lib/modules/<rel>)
# as its last line. A second call with the same inputs does nothing but print that line.
# Env: KERNELSOAK_CACHE (default ~/.cache/kernelsoak), JOBS (nproc), LINUX_TARBALL.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
CACHE=${KERNELSOAK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kernelsoak}
TARBALL=${LINUX_TARBALL:-/usr/src/linux-source-6.1.tar.xz}
FRAG=$HERE/kernel.fragment
JOBS=${JOBS:-$(nproc)}
say() { printf '== %s\n' "$*" >&2; }
run() { printf '$ %s\n' "$*" >&2; "$@"; }

[ -f "$TARBALL" ] || { echo "kernel source $TARBALL not found: apt-get install linux-source-6.1" >&2; exit 2; }
command -v aarch64-linux-gnu-gcc >/dev/null || { echo "no cross compiler: apt-get install gcc-aarch64-linux-gnu" >&2; exit 2; }

# The tarball's size+mtime stand for its content (hashing 130 MB on every call costs 0.5 s).
src_id=$(stat -c '%s-%Y' "$TARBALL" | sha256sum | cut -c1-12)
key=$( { cat "$FRAG" "$0"; echo "$src_id"; aarch64-linux-gnu-gcc --version | head -1; } | sha256sum | cut -c1-16)
SRC=$CACHE/src/linux-$src_id
OUT=$CACHE/kernels/qemu-arm64-$key
if [ -f "$OUT/done" ]; then say "kernel cached: $OUT"; echo "$OUT"; exit 0; fi

mkdir -p "$CACHE/src" "$OUT"
if [ ! -f "$SRC/Makefile" ]; then
  say "unpacking $TARBALL into $SRC"
  rm -rf "$SRC.tmp"; mkdir -p "$SRC.tmp"
  run tar -xJf "$TARBALL" -C "$SRC.tmp" --strip-components=1
  mv "$SRC.tmp" "$SRC"
fi
export CCACHE_DIR=$CACHE/ccache
# Objects are built in a direct child of the source, so Kbuild uses srctree=".." and every compile command
# is the same in any tree of this kernel (a campaign's worktree): with the directory left out of the hash,
# ccache hits across trees.
export CCACHE_NOHASHDIR=1
OBJ=$SRC/.kernelsoak-build-qemu-arm64-$key
CC="aarch64-linux-gnu-gcc"; command -v ccache >/dev/null && CC="ccache aarch64-linux-gnu-gcc"
# Every make gets ARCH (olddefconfig without it rewrites .config for the host), the same CC
# (Kbuild rebuilds everything when the command line changes) and LOCALVERSION= (no '+').
KMAKE=(make -C "$SRC" O="$OBJ" -j"$JOBS" ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- "CC=$CC" LOCALVERSION=)
mkdir -p "$OBJ"
run "${KMAKE[@]}" -s tinyconfig
args=()
while IFS= read -r l; do
  case "$l" in
    "# CONFIG_"*" is not set") o=${l#\# CONFIG_}; args+=(-d "${o%% is not set}");;
    CONFIG_*=y) o=${l%%=*}; args+=(-e "${o#CONFIG_}");;
    CONFIG_*=m) o=${l%%=*}; args+=(-m "${o#CONFIG_}");;
    CONFIG_*=\"*\") o=${l%%=*}; v=${l#*=}; v=${v#\"}; args+=(--set-str "${o#CONFIG_}" "${v%\"}");;
    CONFIG_*=*) o=${l%%=*}; args+=(--set-val "${o#CONFIG_}" "${l#*=}");;
  esac
done < "$FRAG"
run "$SRC/scripts/config" --file "$OBJ/.config" "${args[@]}"
run "${KMAKE[@]}" -s olddefconfig
# olddefconfig exits 0 when it drops an option: the final .config is the judge.
dropped=0
while IFS= read -r l; do
  case "$l" in "# CONFIG_"*" is not set"|CONFIG_*) ;; *) continue;; esac
  grep -qxF -- "$l" "$OBJ/.config" || { echo "config line did not stick: $l" >&2; dropped=1; }
done < "$FRAG"
[ $dropped = 0 ] || { echo "fix $FRAG (see the unmet 'depends on' in the tree's Kconfig)" >&2; exit 3; }
say "building Image + modules in $OBJ (log: $OUT/build.log)"
if ! run "${KMAKE[@]}" Image modules >"$OUT/build.log" 2>&1; then
  grep -m20 -E 'error|Error' "$OUT/build.log" >&2 || tail -20 "$OUT/build.log" >&2; exit 1
fi
rel=$(cat "$OBJ/include/config/kernel.release")
rm -rf "$OUT/modules"
run "${KMAKE[@]}" -s INSTALL_MOD_PATH="$OUT/modules" modules_install >/dev/null
rm -f "$OUT/modules/lib/modules/$rel/build" "$OUT/modules/lib/modules/$rel/source"
cp "$OBJ/arch/arm64/boot/Image" "$OUT/Image"
cp "$OBJ/.config" "$OUT/config"
cp "$OBJ/System.map" "$OUT/System.map"
echo "$rel" > "$OUT/kernel.release"
touch "$OUT/done"
say "kernel $rel ready: $OUT"
echo "$OUT"
