#!/usr/bin/env bash
# setup-host.sh - install what KernelSoak needs on a Debian 12 host (idempotent; quick when all is there):
# the arm64 cross compiler, QEMU + U-Boot for the emulated board, Debian's kernel source, the kernel
# build dependencies, an OpenSSH server/client for the tests, and the arm64 architecture for the
# board's userland debs. Needs root to install; otherwise prints the command to run.
#   --for-tests  also what only the tests use (test.sh passes it): a headless browser for timeline.html, socat for ptys,
#                and the lab daemons the integration tests start on 127.0.0.1.
set -euo pipefail
# No silent stop: a failing command names itself, its line, and what to do.
trap 'rc=$?; echo "setup-host.sh: line $LINENO: \`$BASH_COMMAND\` failed (exit $rc); fix that and re-run ${KS_CALLER:-./build.sh}" >&2; exit $rc' ERR
PKGS=${KS_HOST_PACKAGES:-"gcc-aarch64-linux-gnu linux-source-6.1 qemu-system-arm u-boot-qemu bc bison flex libssl-dev
 libelf-dev ccache rsync kmod cpio mtools dosfstools e2fsprogs fdisk openssh-server openssh-client
 netcat-openbsd qemu-user make gcc git xz-utils sudo"}
TEST_PKGS=${KS_TEST_PACKAGES:-"chromium socat ser2net pdudaemon distcc"}
case "${1:-}" in
  --for-tests) PKGS="$PKGS $TEST_PKGS" ;;
  "") ;;
  *) echo "setup-host.sh: unknown option $1 (--for-tests)" >&2; exit 2 ;;
esac
# One dpkg-query for all (one per package cost ~0.3 s on every ./build.sh). It exits 1 when any named
# package is unknown to dpkg, which is exactly the machine that needs the install: its status is not ours.
# shellcheck disable=SC2086
installed=" $( { dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' $PKGS 2>/dev/null || true; } | awk '/^ii/ {print $2}' | xargs) "
missing=$(for p in $PKGS; do case "$installed" in *" $p "*) ;; *) echo "$p" ;; esac; done | xargs)
need_arch=0; dpkg --print-foreign-architectures | grep -qx arm64 || need_arch=1
if [ -z "$missing" ] && [ $need_arch = 0 ]; then exit 0; fi
if [ "$(id -u)" != 0 ]; then
  arch_cmd=""; [ $need_arch = 0 ] || arch_cmd="sudo dpkg --add-architecture arm64 && "
  echo "KernelSoak needs these Debian packages: ${missing:-none}$([ $need_arch = 0 ] || echo ' (and the arm64 architecture)'). Run as root:" >&2
  echo "  ${arch_cmd}sudo apt-get update && sudo apt-get install -y --no-install-recommends $missing" >&2
  exit 1
fi
echo "== installing host packages: ${missing:-none}$([ $need_arch = 0 ] || echo ' (+ arm64 architecture)')" >&2
[ $need_arch = 0 ] || dpkg --add-architecture arm64
apt-get update -qq
# shellcheck disable=SC2086
[ -z "$missing" ] || DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing >&2
