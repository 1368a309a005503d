#!/bin/bash
# make-board.sh BOARD_DIR KERNEL_DIR - the emulated arm64 board's disks and launcher.
#   BOARD_DIR   where boot.img, root.img, boot.sh, keys and sockets live (created)
#   KERNEL_DIR  a build-kernel.sh output (Image, kernel.release, modules/lib/modules/<rel>)
# Env: SSH_PORT (2222). Refuses to touch a running board. Re-runs keep the client key and the board's
# host key (pinned in BOARD_DIR/known_hosts), so pinning survives a rebuilt image.
#
# The board: QEMU virt (cortex-a57 x2, 1 GiB) running Debian's U-Boot (qemu_arm64), which boots
# extlinux/extlinux.conf from partition 1 (FAT, the guest's /boot/firmware) of the first virtio disk;
# ext4 root on the second disk from Debian arm64 debs (busybox, dropbear, sftp-server, rsync);
# ramoops at 0x70000000 (RAM the kernel skips via mem=768M) so a panic survives a monitor
# system_reset; the QEMU monitor socket is the power switch.
set -euo pipefail
W=$(realpath -m "${1:?usage: make-board.sh BOARD_DIR KERNEL_DIR}")
K=$(realpath "${2:?usage: make-board.sh BOARD_DIR KERNEL_DIR}")
PORT=${SSH_PORT:-2222}
say() { printf '== %s\n' "$*" >&2; }
REL=$(cat "$K/kernel.release")
[ -f "$K/Image" ] && [ -d "$K/modules/lib/modules/$REL" ] || { echo "$K is not a built kernel (run build-kernel.sh)" >&2; exit 2; }
# Running = the pid exists and is not a zombie (a detached QEMU's parent may never reap it).
running() { local p; p=$(cat "$W/qemu.pid" 2>/dev/null) && [ -r "/proc/$p/stat" ] && [ "$(sed 's/.*) //' "/proc/$p/stat" | cut -d' ' -f1)" != Z ]; }
if running; then
  echo "board in $W is running (pid $(cat "$W/qemu.pid")): power it off first (./build.sh --target=BoardDown)" >&2; exit 1
fi
mkdir -p "$W"

# ---------------------------------------------------------------- root filesystem
# Debian arm64 debs unpacked with dpkg-deb -x (no maintainer scripts run on the host).
R=$W/rootfs
rm -rf "$R" "$W/debs"; mkdir -p "$W/debs" "$R"
ARMPKGS="busybox-static dropbear-bin libc6 libcrypt1 libtomcrypt1 libtommath1 libgmp10 zlib1g
 openssh-sftp-server rsync libacl1 liblz4-1 libpopt0 libssl3 libxxhash0 libzstd1
 kexec-tools libxenmisc4.17 libxencall1 libxendevicemodel1 libxenevtchn1 libxenforeignmemory1
 libxengnttab1 libxentoolcore1 libxentoollog1"
# (rsync needs libcrypto.so.3 from libssl3; libtomcrypt1 needs libgmp10; Debian's arm64 kexec links
# libxenctrl.so.4.17 from libxenmisc4.17, which needs the six libxen*1 here: the closure of its NEEDED
# entries, not the packages' Depends, which would pull libxenlight's ext2fs/yajl/libfdt for nothing)
# shellcheck disable=SC2046
(cd "$W/debs" && apt-get download -qq $(printf '%s:arm64 ' $ARMPKGS) 2>&1 | grep -v 'unsandboxed as root' >&2 || true)
ls "$W"/debs/busybox-static_*.deb >/dev/null 2>&1 || { echo "could not download the board's arm64 debs: run 'dpkg --add-architecture arm64 && apt-get update'" >&2; exit 1; }
for d in "$W"/debs/*.deb; do dpkg-deb -x "$d" "$R"; done
mkdir -p "$R"/{proc,sys,dev,tmp,run,root/.ssh,etc/dropbear,etc/init.d,sbin,usr/sbin,var/log,boot/firmware,lib/modules,mnt}
chmod 1777 "$R/tmp"; ln -sfn /run "$R/var/run"
# Only the links needed to reach /etc/rcS; rcS runs 'busybox --install -s' for the rest
# (symlink() never overwrites, so /usr/bin/rsync etc. stay the real binaries).
for a in sh mount mkdir ln; do ln -sf busybox "$R/bin/$a"; done
ln -sf /bin/busybox "$R/sbin/init"
# Debian's dropbear looks for /usr/lib/sftp-server; openssh-sftp-server installs it under openssh/.
ln -sf openssh/sftp-server "$R/usr/lib/sftp-server"
echo 'root:x:0:0:root:/root:/bin/sh' > "$R/etc/passwd"
echo 'root::19000:0:99999:7:::' > "$R/etc/shadow"; chmod 600 "$R/etc/shadow"
echo 'root:x:0:' > "$R/etc/group"; echo /bin/sh > "$R/etc/shells"
echo board > "$R/etc/hostname"
cat > "$R/etc/inittab" <<'EOT'
::sysinit:/etc/rcS
::respawn:/usr/sbin/dropbear -F -E -p 22 -W 1048576 -r /etc/dropbear/dropbear_ed25519_host_key
ttyAMA0::respawn:/bin/sh
::shutdown:/bin/sync
::shutdown:/bin/umount -a -r
EOT
cat > "$R/etc/rcS" <<'EOT'
#!/bin/sh
/bin/busybox --install -s
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
mount -t proc proc /proc; mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null   # already there with DEVTMPFS_MOUNT
mkdir -p /dev/pts; mount -t devpts devpts /dev/pts; mount -t tmpfs tmpfs /run; mount -t tmpfs tmpfs /tmp
mount -o remount,rw /
# FAT partition 1 of the boot disk = the board's /boot/firmware (extlinux.conf lives here).
# 'flush' writes back early: a monitor system_reset is a power cut for the FAT too.
mount -t vfat -o flush /dev/vda1 /boot/firmware
mount -t pstore pstore /sys/fs/pstore
mount -t debugfs debugfs /sys/kernel/debug
mount -t configfs configfs /sys/kernel/config
# Boot hooks as busybox-style inits run them (KernelSoak's flip-default undo installs S01kernelsoak-unflip).
for s in /etc/init.d/S[0-9][0-9]*; do [ -x "$s" ] && "$s" start; done
hostname -F /etc/hostname
# QEMU user networking: fixed address, no DHCP client needed
ip link set lo up; ip link set eth0 up; ip addr add 10.0.2.15/24 dev eth0; ip route add default via 10.0.2.2
# slirp keeps its ARP entry for 10.0.2.15 across resets; after U-Boot's network fallback it points at
# U-Boot's MAC and forwarded SSH is dead until the guest itself ARPs: ping the gateway.
ping -c1 -W2 10.0.2.2 >/dev/null 2>&1
echo "rcS done: $(uname -r) boot_id $(cat /proc/sys/kernel/random/boot_id)" > /dev/kmsg
EOT
chmod +x "$R/etc/rcS"
# busybox-static has no mountpoint applet; the tool's preflight uses 'mountpoint -q DIR'.
cat > "$R/usr/bin/mountpoint" <<'EOT'
#!/bin/sh
# mountpoint [-q] DIR - util-linux's exit codes (0 mounted, 32 not), from /proc/mounts
q=; [ "$1" = -q ] && { q=1; shift; }
d=$(realpath "$1" 2>/dev/null) || { [ -n "$q" ] || echo "$1: no such directory" >&2; exit 1; }
if awk -v d="$d" '$2 == d { f = 1 } END { exit !f }' /proc/mounts; then [ -n "$q" ] || echo "$1 is a mountpoint"; exit 0; fi
[ -n "$q" ] || echo "$1 is not a mountpoint"; exit 32
EOT
chmod +x "$R/usr/bin/mountpoint"
# Keys: the client key and the board's host key are made once per board directory and kept.
[ -f "$W/id_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -C kernelsoak-board -f "$W/id_ed25519"
cp "$W/id_ed25519.pub" "$R/root/.ssh/authorized_keys"
chmod 700 "$R/root/.ssh"; chmod 600 "$R/root/.ssh/authorized_keys"
# The host key is made with the board's own dropbearkey under qemu-user (dropbear reads only its own
# key format), so its fingerprint is known before the first boot and can be pinned.
if [ ! -f "$W/dropbear_ed25519_host_key" ]; then
  qemu-aarch64 -L "$R" "$R/usr/bin/dropbearkey" -t ed25519 -f "$W/dropbear_ed25519_host_key" >/dev/null 2>&1 \
    || { echo "cannot run the board's dropbearkey under qemu-aarch64 (apt-get install qemu-user)" >&2; exit 1; }
fi
cp "$W/dropbear_ed25519_host_key" "$R/etc/dropbear/dropbear_ed25519_host_key"
qemu-aarch64 -L "$R" "$R/usr/bin/dropbearkey" -y -f "$W/dropbear_ed25519_host_key" 2>/dev/null | grep '^ssh-ed25519' | cut -d' ' -f1,2 > "$W/host_key.pub"
echo "[127.0.0.1]:$PORT $(cat "$W/host_key.pub")" > "$W/known_hosts"
# Modules: the kernel's staged tree (depmod already ran on the host, so busybox modprobe works).
cp -a "$K/modules/lib/modules/$REL" "$R/lib/modules/"

# ---------------------------------------------------------------- disk images
# boot.img: MBR + one FAT32 partition at 1 MiB (= vda1); mtools addresses it as boot.img@@1M.
CMDLINE="console=ttyAMA0 root=/dev/vdb rw mem=768M ramoops.mem_address=0x70000000 ramoops.mem_size=0x100000 ramoops.record_size=0x20000 ramoops.console_size=0x20000 ramoops.ecc=1"
rm -f "$W/boot.img" "$W/root.img"
truncate -s 128M "$W/boot.img"; echo 'start=2048, type=c' | sfdisk -q "$W/boot.img"
mformat -i "$W/boot.img@@1M" -F -v BOOT ::
mmd -i "$W/boot.img@@1M" ::/extlinux
mcopy -i "$W/boot.img@@1M" "$K/Image" "::/Image-$REL"
# U-Boot 2023.01 extlinux (observed): 'prompt 1' + 'timeout 20' shows a numbered menu for 2 s that
# can be driven over the serial console, then boots the default; 'timeout' without 'prompt' is ignored.
cat > "$W/extlinux.conf" <<EOT
# /boot/firmware/extlinux/extlinux.conf of the emulated board (made by make-board.sh)
menu title KernelSoak emulated board
prompt 1
timeout 20
default known-good
label known-good
    menu label known-good ($REL)
    kernel /Image-$REL
    append $CMDLINE
EOT
mcopy -o -i "$W/boot.img@@1M" "$W/extlinux.conf" ::/extlinux/extlinux.conf
mke2fs -q -t ext4 -L root -d "$R" "$W/root.img" 512M
rm -rf "$R" "$W/debs"
echo "$REL" > "$W/kernel.release"

# ---------------------------------------------------------------- power switch + ssh
cat > "$W/boot.sh" <<EOT
#!/bin/sh
# Power on (foreground; the power switch runs it detached). Serial: console.log (truncated at each
# power-on; a reset keeps appending) and serial.sock (interactive). Monitor = the power switch:
#   echo system_reset | nc -U -q1 $W/qmon.sock   (hard reset, RAM kept: pstore survives)
#   echo quit | nc -U -q1 $W/qmon.sock           (off)      stop / cont: freeze / thaw
# restrict=off so the board's netconsole reaches the host: slirp maps 10.0.2.2 to the host's 127.0.0.1
# (UDP cannot be forwarded with restrict=on). hostfwd binds 127.0.0.1 only: nothing outside reaches the board.
# romfile= : no iPXE option ROM (U-Boot does not need it; ipxe-qemu is only a Recommends).
# dtb-randomness=off: no /chosen/kaslr-seed. The board kernel has no KASLR, so it never wipes the seed, and
# kexec-tools refuses to load any kernel while a seed is left ("setup_2nd_dtb: kaslr-seed is not wiped to 0").
rm -f $W/qmon.sock $W/serial.sock
: > $W/console.log
exec qemu-system-aarch64 -M virt,dtb-randomness=off -cpu cortex-a57 -smp 2 -m 1G -display none -nodefaults \\
  -bios /usr/lib/u-boot/qemu_arm64/u-boot.bin \\
  -drive if=none,file=$W/boot.img,format=raw,id=d0 -device virtio-blk-pci,drive=d0 \\
  -drive if=none,file=$W/root.img,format=raw,id=d1 -device virtio-blk-pci,drive=d1 \\
  -netdev user,id=n0,restrict=off,hostfwd=tcp:127.0.0.1:$PORT-:22 -device virtio-net-pci,netdev=n0,romfile= \\
  -chardev socket,id=s0,path=$W/serial.sock,server=on,wait=off,logfile=$W/console.log \\
  -serial chardev:s0 -monitor unix:$W/qmon.sock,server=on,wait=off -pidfile $W/qemu.pid
EOT
chmod +x "$W/boot.sh"
cat > "$W/ssh_config" <<EOT
Host board
  HostName 127.0.0.1
  Port $PORT
  User root
  IdentityFile $W/id_ed25519
  IdentitiesOnly yes
  UserKnownHostsFile $W/known_hosts
  StrictHostKeyChecking yes
  ConnectTimeout 5
EOT
echo "$PORT" > "$W/ssh_port"
say "board ready in $W (kernel $REL, ssh 127.0.0.1:$PORT, host key $(ssh-keygen -lf "$W/known_hosts" | cut -d' ' -f2))"
