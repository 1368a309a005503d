#!/usr/bin/env bash
# Deploy of a built kernel's modules tree + Image to the emulated board: KernelSoak's installer side by
# side with `rsync -a --delete` over ssh and `tar | ssh tar` (+ `ssh cat` for the Image), same link, same
# run; cold (nothing of the release on the board) and with nothing changed.
# Usage: bench/deploy.sh   (needs a build: ./build.sh --target=CompileKernel; starts its own board on port 2298)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd); cd "$ROOT"
MANIFEST=${MANIFEST:-artifacts/qemu-demo/kernel/manifest.json}
[ -f "$MANIFEST" ] || { echo "no build manifest at $MANIFEST: run ./build.sh --target=CompileKernel first" >&2; exit 1; }
. bench/own-board.sh 2298
REL=$(sed -n 's/.*"Release": "\(.*\)".*/\1/p' "$MANIFEST")
MODS=$(sed -n 's/.*"ModulesDir": "\(.*\)".*/\1/p' "$MANIFEST")
IMG=$(grep -A1 '"Image"' "$MANIFEST" | sed -n 's/.*"Path": "\(.*\)".*/\1/p')
S="ssh -F $W/ssh_config"
t() { local s e; s=$(date +%s.%N); "$@" >/dev/null; e=$(date +%s.%N); echo "$e - $s" | bc; }
clean() { $S board "rm -rf /lib/modules/$REL /boot/firmware/Image-$REL; sync"; }

echo "== $(nproc) cores, $(date -u +%F), release $REL, $(find "$MODS" -type f | wc -l) module files, Image $(du -m "$IMG" | cut -f1) MiB"
dotnet bench/BoardBench/bin/Release/net10.0/BoardBench.dll deploy "$W" "$MANIFEST" | tee "$W/ks.out"

clean
rs_mod=$(t rsync -a --delete -e "$S" "$MODS/" "board:/lib/modules/$REL/")
rs_img=$(t rsync -a -e "$S" "$IMG" "board:/boot/firmware/Image-$REL")
rs_mod0=$(t rsync -a --delete -e "$S" "$MODS/" "board:/lib/modules/$REL/")
rs_img0=$(t rsync -a -e "$S" "$IMG" "board:/boot/firmware/Image-$REL")
clean
tar_mod=$(t sh -c "tar -C '$MODS' -cf - . | $S board 'mkdir -p /lib/modules/$REL && tar -C /lib/modules/$REL -xf - && sync'")
cat_img=$(t sh -c "$S board 'cat > /boot/firmware/Image-$REL && sync' < '$IMG'")
printf 'rsync -a --delete cold: modules %.2f s, Image %.2f s; nothing changed: modules %.2f s, Image %.2f s\n' "$rs_mod" "$rs_img" "$rs_mod0" "$rs_img0"
printf 'tar | ssh tar cold: modules %.2f s; ssh cat Image %.2f s (no verify, no depmod)\n' "$tar_mod" "$cat_img"
eval "$(sed -n 's/^RESULT //p' "$W/ks.out")"
best_mod=$(echo "if ($rs_mod < $tar_mod) $rs_mod else $tar_mod" | bc); best_img=$(echo "if ($rs_img < $cat_img) $rs_img else $cat_img" | bc)
printf 'ratios: cold modules %.2fx the faster (goal <= 1.1), cold Image %.2fx the faster (goal <= 1.1), nothing changed %.2fx rsync (goal <= 0.5)\n' \
  "$(echo "$ks_modules_cold / $best_mod" | bc -l)" "$(echo "$ks_image_cold / $best_img" | bc -l)" "$(echo "$ks_confirm / ($rs_mod0 + $rs_img0)" | bc -l)"
