#!/usr/bin/env bash
# fresh-machine.sh - the README's two commands on a fresh Debian 12 machine, from nothing.
#
#   scripts/fresh-machine.sh [--keep] [--only-build] [ROOT_DIR]
#
# Builds a throwaway Debian 12 root with debootstrap (from the host's own apt sources), puts in it only
# what the README assumes: the .NET SDK (the host's, bind-mounted read-only, with the libraries its Debian
# package would pull in) and a clean clone of this repository's main branch. Then, inside it (its own
# mount and PID namespaces, chroot), runs the README's first two commands exactly as written, timing
# each and keeping their output. Prints one result line per command; exit 0 when both succeeded.
# Needs root. The emulated board runs inside (QEMU in TCG; no loop devices or KVM are used).
# Default ROOT_DIR: /var/tmp/kernelsoak-fresh (removed first; kept afterwards only with --keep).
set -euo pipefail
trap 'rc=$?; echo "fresh-machine.sh: line $LINENO: \`$BASH_COMMAND\` failed (exit $rc)" >&2; exit $rc' ERR
keep=0 only_build=0
while [ $# -gt 0 ]; do
  case "$1" in
    --keep) keep=1 ;;
    --only-build) only_build=1 ;;
    -*) echo "fresh-machine.sh: unknown option $1 (--keep, --only-build)" >&2; exit 2 ;;
    *) break ;;
  esac
  shift
done
ROOT=${1:-/var/tmp/kernelsoak-fresh}
REPO=$(cd "$(dirname "$0")/.." && pwd)
[ "$(id -u)" = 0 ] || { echo "fresh-machine.sh: needs root (debootstrap, chroot, bind mounts)" >&2; exit 1; }
case "$ROOT" in /|/usr|/var|/home|/root|"$REPO"*) echo "fresh-machine.sh: refusing ROOT_DIR=$ROOT" >&2; exit 2 ;; esac
command -v debootstrap >/dev/null || { apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends debootstrap >&2; }
# The root shares the host's network (apt and NuGet need it): the emulated board's SSH port must be free,
# as on a new machine, or QEMU cannot forward it.
if ss -ltn 2>/dev/null | grep -q '127.0.0.1:2222 '; then
  echo "fresh-machine.sh: 127.0.0.1:2222 is taken (an emulated board of this checkout? ./build.sh --target=BoardDown); a fresh machine has it free" >&2; exit 1
fi
DOTNET_DIR=$(dirname "$(readlink -f "$(command -v dotnet)")")
# The host's own Debian mirror (whatever apt uses here), so the root is built from the same packages.
MIRROR=$(sed -n 's/^URIs: *\([^ ]*\).*/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | grep -v security | head -1)
[ -n "$MIRROR" ] || MIRROR=$(awk '$1 == "deb" && $0 !~ /security/ {print $2; exit}' /etc/apt/sources.list)
OUT=$REPO/artifacts/fresh-machine
mkdir -p "$OUT"

unmount() {
  for m in "$ROOT/usr/share/dotnet" "$ROOT/dev/pts" "$ROOT/dev" "$ROOT/sys" "$ROOT/proc"; do
    if mountpoint -q "$m" 2>/dev/null; then umount -l "$m"; fi
  done
}
trap 'unmount; [ $keep = 1 ] || rm -rf --one-file-system "$ROOT"' EXIT
# Always from nothing: a root left by an earlier --keep goes first.
unmount; rm -rf --one-file-system "$ROOT"

# The SDK's own Debian dependencies (what installing it from packages pulls in), nothing of ours.
SDK_DEPS=ca-certificates,libicu72,libssl3,libgssapi-krb5-2,zlib1g,libstdc++6
echo "== debootstrap bookworm into $ROOT from $MIRROR" >&2
start=$(date +%s)
debootstrap --variant=minbase --include="$SDK_DEPS" bookworm "$ROOT" "$MIRROR" > "$OUT/debootstrap.log" 2>&1 \
  || { tail -20 "$OUT/debootstrap.log" >&2; exit 1; }
echo "   $(( $(date +%s) - start )) s" >&2
# Same apt sources and settings as the host (a mirror snapshot needs its date checks off), and the
# machine's own CA certificates (this workplace reaches its registries through a proxy with its own CA):
# both belong to the machine, not to the project.
if ls /etc/apt/sources.list.d/*.sources >/dev/null 2>&1; then
  cp /etc/apt/sources.list.d/*.sources "$ROOT/etc/apt/sources.list.d/"; rm -f "$ROOT/etc/apt/sources.list"
fi
cp /usr/local/share/ca-certificates/*.crt "$ROOT/usr/local/share/ca-certificates/" 2>/dev/null || true
chroot "$ROOT" update-ca-certificates > /dev/null 2>&1
cp /etc/apt/apt.conf.d/99* "$ROOT/etc/apt/apt.conf.d/" 2>/dev/null || true
cp /etc/resolv.conf "$ROOT/etc/resolv.conf"
[ -f /root/.nuget/NuGet/NuGet.Config ] && install -D -m 0644 /root/.nuget/NuGet/NuGet.Config "$ROOT/root/.nuget/NuGet/NuGet.Config"
mkdir -p "$ROOT/usr/share/dotnet"
mount --bind "$DOTNET_DIR" "$ROOT/usr/share/dotnet"; mount -o remount,bind,ro "$ROOT/usr/share/dotnet"
ln -sf /usr/share/dotnet/dotnet "$ROOT/usr/bin/dotnet"
mount -t proc proc "$ROOT/proc"; mount --rbind /sys "$ROOT/sys"; mount --rbind /dev "$ROOT/dev"
# A clean clone of main: what a newcomer gets, no build outputs, no caches.
git clone -q --branch main "$REPO" "$ROOT/root/kernelsoak"
cp -a "$REPO/../shared" "$ROOT/root/shared" 2>/dev/null || true

run() {  # run NAME COMMAND: inside the root, timed; output kept
  local name=$1 cmd=$2 t0 rc=0
  echo "== $cmd (inside the fresh root; log: $OUT/$name.log)" >&2
  t0=$(date +%s)
  # The machine's environment (as CI gets it: its CA and NuGet settings among them), a root login's HOME/PATH.
  unshare --mount --pid --fork --mount-proc="$ROOT/proc" chroot "$ROOT" /usr/bin/env HOME=/root TERM=dumb \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    /bin/bash -c "cd /root/kernelsoak && $cmd" < /dev/null > "$OUT/$name.log" 2>&1 || rc=$?
  local secs=$(( $(date +%s) - t0 ))
  echo "$(date -u +%FT%TZ) $cmd: exit $rc in $secs s; last line: $(tail -1 "$OUT/$name.log")" | tee -a "$OUT/results.txt"
  return $rc
}
: > "$OUT/results.txt"
status=0
run build "./build.sh" || status=1
[ $only_build = 1 ] || run test "./test.sh" || status=1
exit $status
