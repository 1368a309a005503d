#!/usr/bin/env bash
# make-rootfs.sh OUT.ext4 [FILE...] - the smallest arm64 root filesystem a LAVA qemu job can type at: Debian's
# busybox-static (arm64) and an /init that mounts /proc /sys /dev and keeps a shell on the console
# (prompt "/ # "). A disk image, not an initramfs: the board's kernel is built without CONFIG_BLK_DEV_INITRD.
# FILEs are copied to /root (a module a test loads). Boot it with root=/dev/vda rw init=/init. Needs the arm64 package lists
# (dpkg --add-architecture arm64 && apt-get update), as the emulated board does.
set -euo pipefail
OUT=$(realpath -m "${1:?usage: make-rootfs.sh OUT.ext4 [FILE...]}"); shift
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get download -qq busybox-static:arm64 2>&1 | grep -v 'unsandboxed as root' >&2 || true)
ls "$work"/busybox-static_*.deb >/dev/null 2>&1 || { echo "could not download busybox-static:arm64: run 'dpkg --add-architecture arm64 && apt-get update'" >&2; exit 1; }
root=$work/root
dpkg-deb -x "$work"/busybox-static_*.deb "$root"
mkdir -p "$root"/{proc,sys,dev,tmp,sbin,usr/bin,usr/sbin,root}
for f in "$@"; do cp "$f" "$root/root/"; done
cat > "$root/init" <<'EOT'
#!/bin/busybox sh
/bin/busybox --install -s
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev 2>/dev/null
echo "kernelsoak rootfs: shell on the console"
export PS1='/ # ' PATH=/bin:/sbin:/usr/bin:/usr/sbin
# cttyhack: the console becomes the shell's controlling tty (job control, Ctrl-C).
while :; do setsid cttyhack sh; done
EOT
chmod +x "$root/init"
rm -f "$OUT"
mke2fs -q -t ext4 -L root -d "$root" "$OUT" 32M >/dev/null
echo "$OUT"
