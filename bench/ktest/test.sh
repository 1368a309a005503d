#!/bin/sh
# test.sh SSH_CONFIG STAMPS RELEASE - ktest's TEST on the emulated board (run by ktest.pl after the console showed
# SUCCESS_LINE). The console line comes before dropbear listens, so it first waits for SSH (as KernelSoak's boot step
# does), checks that the board runs RELEASE ("verified"), then runs the smoke commands and the campaign's stress
# command once (lkdtm's WARNING_MESSAGE; KernelSoak's side runs the same command in its stress window).
cfg=$1 stamps=$2 want=$3
i=0
until got=$(ssh -F "$cfg" -o ConnectTimeout=2 board uname -r 2>/dev/null); do
  i=$((i + 1)); [ $i -lt 600 ] || { echo "test.sh: no SSH on the board after 120 s" >&2; exit 1; }
  sleep 0.2
done
[ "$got" = "$want" ] || { echo "test.sh: the board runs $got, not $want" >&2; exit 1; }
echo "verified $(date +%s.%N)" >> "$stamps"
echo "board runs $got"
ssh -F "$cfg" board 'cat /proc/cmdline; modprobe lkdtm; echo WARNING_MESSAGE > /sys/kernel/debug/provoke-crash/DIRECT; sleep 4'
rc=$?
echo "test-end $(date +%s.%N)" >> "$stamps"
exit $rc
