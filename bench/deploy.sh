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

ROUNDS=${ROUNDS:-3}
echo "== $(nproc) cores, $(date -u +%F), release $REL, $(find "$MODS" -type f | wc -l) module files, Image $(du -m "$IMG" | cut -f1) MiB, $ROUNDS interleaved rounds (the emulated board's speed drifts: medians)"
BB="dotnet bench/BoardBench/bin/Release/net10.0/BoardBench.dll deploy $W $MANIFEST"
median() { printf '%s\n' "$@" | sort -g | sed -n "$(( ($# + 1) / 2 ))p"; }
ks_mod=(); ks_img=(); rs_mod=(); rs_img=(); tar_mod=(); cat_img=(); tar_img=()
for r in $(seq "$ROUNDS"); do
  $BB cold | tee "$W/ks.out" | grep -v '^RESULT'
  eval "$(sed -n 's/^RESULT //p' "$W/ks.out")"; ks_mod+=("$ks_modules_cold"); ks_img+=("$ks_image_cold")
  clean
  tar_mod+=("$(t sh -c "tar -C '$MODS' -cf - . | $S board 'mkdir -p /lib/modules/$REL && tar -C /lib/modules/$REL -xf - && sync'")")
  cat_img+=("$(t sh -c "$S board 'cat > /boot/firmware/Image-$REL && sync' < '$IMG'")")
  clean
  tar_img+=("$(t sh -c "tar -C '$(dirname "$IMG")' --transform 's|.*|Image-$REL|' -cf - Image | $S board 'tar -C /boot/firmware -xf - && sync'")")
  clean
  rs_mod+=("$(t rsync -a --delete -e "$S" "$MODS/" "board:/lib/modules/$REL/")")
  rs_img+=("$(t rsync -a -e "$S" "$IMG" "board:/boot/firmware/Image-$REL")")
  echo "round $r: KernelSoak modules ${ks_mod[-1]} s, Image ${ks_img[-1]} s; tar | ssh tar modules ${tar_mod[-1]} s, Image ${tar_img[-1]} s; ssh cat Image ${cat_img[-1]} s; rsync modules ${rs_mod[-1]} s, Image ${rs_img[-1]} s"
done
rs_mod0=$(t rsync -a --delete -e "$S" "$MODS/" "board:/lib/modules/$REL/")
rs_img0=$(t rsync -a -e "$S" "$IMG" "board:/boot/firmware/Image-$REL")
$BB cold | grep -v '^RESULT' >/dev/null   # the board holds exactly this build again
$BB nochange | tee "$W/ks0.out" | grep -v '^RESULT'
eval "$(sed -n 's/^RESULT //p' "$W/ks0.out")"
m_ks_mod=$(median "${ks_mod[@]}"); m_ks_img=$(median "${ks_img[@]}")
m_tar=$(median "${tar_mod[@]}"); m_cat=$(median "${cat_img[@]}"); m_tar_img=$(median "${tar_img[@]}"); m_rs_mod=$(median "${rs_mod[@]}"); m_rs_img=$(median "${rs_img[@]}")
printf 'medians, cold: KernelSoak modules %.2f s, Image %.2f s | tar|ssh tar modules %.2f s, Image %.2f s; ssh cat Image %.2f s (no verify, no depmod) | rsync modules %.2f s, Image %.2f s\n' \
  "$m_ks_mod" "$m_ks_img" "$m_tar" "$m_tar_img" "$m_cat" "$m_rs_mod" "$m_rs_img"
printf 'nothing changed: rsync modules %.2f s + Image %.2f s\n' "$rs_mod0" "$rs_img0"
best_mod=$(echo "if ($m_rs_mod < $m_tar) $m_rs_mod else $m_tar" | bc); best_img=$(echo "if ($m_rs_img < $m_tar_img) $m_rs_img else $m_tar_img" | bc)
printf 'ratios: cold modules %.2fx the faster of rsync and tar (goal <= 1.1), cold Image %.2fx the faster of rsync and tar (goal <= 1.1; %.2fx a bare ssh cat), nothing changed %.2fx rsync (goal <= 0.5)\n' \
  "$(echo "$m_ks_mod / $best_mod" | bc -l)" "$(echo "$m_ks_img / $best_img" | bc -l)" "$(echo "$m_ks_img / $m_cat" | bc -l)" "$(echo "$ks_confirm / ($rs_mod0 + $rs_img0)" | bc -l)"
