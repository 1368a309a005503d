#!/usr/bin/env bash
# Captures real kernel reports from Debian's linux-source-6.12 on x86_64 under QEMU, labelled by
# construction, the way ../shared/corpus captured 6.1: one fresh boot per case, an initramfs /init that
# provokes exactly one bug (kernel command line corpus=lkdtm:NAME or corpus=mod:NAME), waits, writes
# dmesg to a second serial port and reboots (QEMU -no-reboot ends). Output: one directory per case under
# tests/KernelSoak.Reports.Tests/testdata/corpus/x86_64-6.12/ with console.txt, dmesg.txt, expected.json.
# Not run by CI (the captures are committed); needs: linux-source-6.12 busybox-static qemu-system-x86.
# Usage: tests/capture/x86_64-6.12.sh [case ...]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=$ROOT/tests/KernelSoak.Reports.Tests/testdata/corpus/x86_64-6.12
WORK=${KS_CAPTURE_WORK:-$HOME/.cache/kernelsoak/capture-x86_64-6.12}
mkdir -p "$WORK" "$OUT"
[ -d "$WORK/linux" ] || { mkdir -p "$WORK/linux"; tar -xJf /usr/src/linux-source-6.12.tar.xz -C "$WORK/linux" --strip-components=1; }
K="make -C $WORK/linux O=$WORK/build CC=ccache\ gcc -j$(nproc)"
if [ ! -f "$WORK/build/arch/x86/boot/bzImage" ]; then
  mkdir -p "$WORK/build"
  # The 6.1 corpus kernel's config (tinyconfig + board basics + the sanitizers), carried forward.
  cp "$ROOT/tests/KernelSoak.Reports.Tests/testdata/corpus/x86_64-6.1/kernel.config" "$WORK/build/.config"
  make -C "$WORK/linux" O="$WORK/build" olddefconfig >/dev/null
  # Options that are new or renamed since 6.1 (else olddefconfig leaves them off).
  "$WORK/linux/scripts/config" --file "$WORK/build/.config" -e KASAN -e KASAN_GENERIC -e PROVE_LOCKING -e DEBUG_LIST \
    -e DEBUG_OBJECTS -e DEBUG_OBJECTS_TIMERS -e DEBUG_OBJECTS_FREE -e LKDTM -e MODULES -e DEBUG_FS -e UBSAN -e UBSAN_BOUNDS \
    -e SOFTLOCKUP_DETECTOR -e DETECT_HUNG_TASK --set-val DEFAULT_HUNG_TASK_TIMEOUT 10 --set-val RCU_CPU_STALL_TIMEOUT 10 \
    -d BUG_ON_DATA_CORRUPTION -d LIST_HARDENED -d PANIC_ON_OOPS
  make -C "$WORK/linux" O="$WORK/build" olddefconfig >/dev/null
  eval "$K bzImage modules" > "$WORK/build.log" 2>&1 || { tail -20 "$WORK/build.log"; exit 1; }
fi
cp "$WORK/build/.config" "$OUT/kernel.config"
# The trigger module, built against this kernel.
rm -rf "$WORK/trigger"; cp -r "$ROOT/tests/modules/corpus_trigger" "$WORK/trigger"
make -C "$WORK/linux" O="$WORK/build" M="$WORK/trigger" modules > "$WORK/trigger.log" 2>&1 || { tail -20 "$WORK/trigger.log"; exit 1; }
# initramfs: static busybox + the module + /init.
I=$WORK/initramfs; rm -rf "$I"; mkdir -p "$I"/{bin,proc,sys,dev}
cp /bin/busybox "$I/bin/busybox"; for a in sh mount insmod cat echo sleep dmesg reboot sed; do ln -s busybox "$I/bin/$a"; done
cp "$WORK/trigger/corpus_trigger.ko" "$I/corpus_trigger.ko"
cat > "$I/init" <<'INIT'
#!/bin/sh
mount -t proc proc /proc; mount -t sysfs sysfs /sys; mount -t devtmpfs dev /dev; mount -t debugfs debugfs /sys/kernel/debug
arg=$(sed -n 's/.*corpus=\([^ ]*\).*/\1/p' /proc/cmdline); kind=${arg%%:*}; name=${arg#*:}; wait=${arg##*@}; name=${name%@*}
[ "$wait" = "$arg" ] && wait=5
echo "corpus-init: running $kind:$name, then waiting $wait s" > /dev/kmsg
if [ "$kind" = mod ]; then insmod /corpus_trigger.ko; sh -c "echo $name > /sys/kernel/debug/corpus_trigger/trigger" &
else sh -c "echo $name > /sys/kernel/debug/provoke-crash/DIRECT" & fi
sleep "$wait"
echo "corpus-init: done waiting" > /dev/kmsg
dmesg > /dev/ttyS1
reboot -f
INIT
chmod +x "$I/init"
(cd "$I" && find . | cpio -o -H newc 2>/dev/null | gzip -1) > "$WORK/initramfs.gz"

# name | trigger | class | guilty function | syzkaller-style title (hand-derived) | seconds to wait
CASES="lkdtm_READ_AFTER_FREE|lkdtm:READ_AFTER_FREE|KASAN|lkdtm_READ_AFTER_FREE|KASAN: slab-use-after-free Read in lkdtm_READ_AFTER_FREE|5
corpus_lockdep_abba|mod:lockdep_abba|LOCKDEP|corpus_lock_b_then_a|possible deadlock in corpus_lock_b_then_a|5
corpus_gfp_kernel_in_spinlock|mod:gfp_kernel_in_spinlock|ATOMIC_SLEEP|corpus_gfp_kernel_under_spinlock|BUG: sleeping function called from invalid context in corpus_gfp_kernel_under_spinlock|5
corpus_odebug_free_active_timer|mod:odebug_free_active_timer|ODEBUG|corpus_odebug_free_active_timer|WARNING: ODEBUG bug in corpus_odebug_free_active_timer|5
corpus_refcount_underflow|mod:refcount_underflow|REFCOUNT|corpus_refcount_underflow|WARNING: refcount bug in corpus_refcount_underflow|5
corpus_kasan_double_free|mod:kasan_double_free|KASAN|corpus_kasan_double_free|KASAN: double-free in corpus_kasan_double_free|5
lkdtm_CORRUPT_LIST_ADD|lkdtm:CORRUPT_LIST_ADD|LIST_CORRUPTION|lkdtm_CORRUPT_LIST_ADD|BUG: corrupted list in lkdtm_CORRUPT_LIST_ADD|5
lkdtm_WARNING_MESSAGE|lkdtm:WARNING_MESSAGE|WARNING|lkdtm_WARNING_MESSAGE|WARNING in lkdtm_WARNING_MESSAGE|5
lkdtm_BUG|lkdtm:BUG|BUG|lkdtm_BUG|kernel BUG in lkdtm_BUG|5
lkdtm_ARRAY_BOUNDS|lkdtm:ARRAY_BOUNDS|UBSAN|lkdtm_ARRAY_BOUNDS|UBSAN: array-index-out-of-bounds in lkdtm_ARRAY_BOUNDS|5
lkdtm_HUNG_TASK|lkdtm:HUNG_TASK|HUNG_TASK|lkdtm_HUNG_TASK|INFO: task hung in lkdtm_HUNG_TASK|40"
n=0
echo "$CASES" | while IFS='|' read -r name trigger class guilty title wait; do
  n=$((n + 1)); dir=$OUT/$(printf %02d $n)-$name
  if [ $# -gt 0 ] && ! printf '%s\n' "$@" | grep -qx "$name"; then continue; fi
  mkdir -p "$dir"; echo "== $dir"
  timeout 300 qemu-system-x86_64 -accel tcg -smp 2 -m 1G -nographic -no-reboot -kernel "$WORK/build/arch/x86/boot/bzImage" \
    -initrd "$WORK/initramfs.gz" -append "console=ttyS0 panic=-1 corpus=${trigger/mod:/mod:}@$wait" \
    -serial "file:$dir/console.txt" -serial "file:$dir/dmesg.txt" -monitor none -display none < /dev/null > /dev/null 2>&1 || true
  # The first report's title-bearing line, as printed (the labels below were checked by eye against it).
  case $class in
    KASAN) pat='^BUG: KASAN: ' ;; LOCKDEP) pat='^WARNING: possible circular' ;; ATOMIC_SLEEP) pat='^BUG: sleeping function' ;;
    ODEBUG) pat='^ODEBUG: ' ;; REFCOUNT) pat='^refcount_t: ' ;; LIST_CORRUPTION) pat='^list_(add|del) corruption' ;;
    WARNING) pat='^WARNING: CPU: ' ;; BUG) pat='^kernel BUG at ' ;; UBSAN) pat='^UBSAN: ' ;; HUNG_TASK) pat='^INFO: task .* blocked' ;;
  esac
  first=$(tr -d '\r' < "$dir/dmesg.txt" | sed -E 's/^\[ *[0-9]+\.[0-9]+\] //' | grep -E -m1 "$pat" || true)
  line=$(grep -n -m1 -F "$first" "$dir/console.txt" | cut -d: -f1 || true)
  how="kernel command line corpus=$trigger; the initramfs /init $( [ "${trigger%%:*}" = mod ] && echo "insmods corpus_trigger.ko and writes the name to /sys/kernel/debug/corpus_trigger/trigger" || echo "writes the name to /sys/kernel/debug/provoke-crash/DIRECT (lkdtm built in)")"
  python3 - "$dir/expected.json" <<PY
import json, sys
json.dump({"trigger": "$( [ "${trigger%%:*}" = mod ] && echo corpus_trigger || echo lkdtm ):${trigger#*:}", "class": "$class", "first_line": """$first""",
  "guilty_function": "$guilty", "board_survived": True, "arch": "x86_64", "kernel": "6.12.117 (Debian linux-source-6.12)",
  "console_line": int("${line:-0}"), "guilty_in_report": True, "syz_title": "$title", "how": "$how",
  "files": ["console.txt", "dmesg.txt"]}, open(sys.argv[1], "w"), indent=1)
PY
  echo "   first line: $first"
done
