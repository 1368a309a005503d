#!/usr/bin/env bash
# kary-lava.sh - the same small binary bisect on the local LAVA (scripts/lava-local.sh, two qemu devices) with
# one device ([Lava] Boards = 1) and with two, one after the other in one run: wall time, rounds, LAVA jobs,
# the time spent building and the answer. The series is qemu-bisect's 0001 (clean) and 0002 (a use-after-free),
# lkdtm built in, as in tests/KernelSoak.Lava.Tests (KaryBisectTests). Runs as root (LAVA's daemons); wrap it in
# `flock -o /tmp/ks-heavy.lock` (-o: the daemons it starts must not inherit the lock and hold it after it ends).
# Needs `dotnet build KernelSoak.slnx -c Release` first. Stops LAVA at the end (and PostgreSQL when it started it)
# unless KEEP_LAVA=1.
# Usage: bench/kary-lava.sh [boards...]   (default: 1 2)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd); cd "$ROOT"
HOST=$ROOT/build/bin/Release/net10.0/KernelSoak.Build.dll
[ -f "$HOST" ] || { echo "kary-lava.sh: no $HOST: dotnet build KernelSoak.slnx -c Release" >&2; exit 1; }
BOARDS=("$@"); [ ${#BOARDS[@]} -gt 0 ] || BOARDS=(1 2)
for k in "${BOARDS[@]}"; do [[ $k =~ ^[1-9][0-9]?$ ]] || { echo "kary-lava.sh: boards '$k' is not 1..99" >&2; exit 1; }; done
work=$(mktemp -d /tmp/ks-kary-bench.XXXXXX)
PG=$(pg_lsclusters -h 2>/dev/null | awk 'NR==1 {print $1" "$2}')
# shellcheck disable=SC2086
pg_was_up=$( [ -n "$PG" ] && pg_ctlcluster $PG status >/dev/null 2>&1 && echo 1 || echo 0)
stop() {
  mkdir -p /tmp/kary-lava-last && cp "$work"/*.out /tmp/kary-lava-last/ 2>/dev/null || true   # the runs' output, for a look afterwards
  rm -rf "$work"
  [ "${KEEP_LAVA:-0}" = 1 ] && return
  scripts/lava-local.sh --stop >/dev/null 2>&1 || true
  # shellcheck disable=SC2086
  [ "$pg_was_up" = 1 ] || [ -z "$PG" ] || pg_ctlcluster $PG stop || true
}
trap stop EXIT

scripts/lava-local.sh
LAVA_DIR=${KS_LAVA_DIR:-/var/lib/kernelsoak-lava}
URL=$(cat "$LAVA_DIR/url")
bash tests/KernelSoak.Lava.Tests/make-rootfs.sh "$work/rootfs.ext4" >/dev/null

# The campaign of KaryBisectTests: binary mode over 0001-0002, no baseline, lkdtm built in and reached through debugfs.
campaign() { # id
  python3 - "$ROOT" "$1" "$work" <<'EOF'
import sys
root, cid = sys.argv[1], sys.argv[2]
text = open(f"{root}/campaigns/qemu-bisect.toml").read()
cut = text.index('[[series.patches]]\nid = "0003"')
monitor = text.index("[monitor]", cut)
stress = ('[[stress]]\nname = "lkdtm-builtin"\ncommands = ["mount -t debugfs none /sys/kernel/debug 2>/dev/null; '
          'echo WARNING_MESSAGE > /sys/kernel/debug/provoke-crash/DIRECT; sleep 4"]\nduration_s = 12\n\n')
text = text[:cut] + stress + text[monitor:].replace("[monitor]\n", '[monitor]\nsuppress = ["^WARNING in lkdtm_WARNING_MESSAGE$"]\n')
fragment = f"{sys.argv[3]}/kernel.fragment"  # lkdtm built in: a typed y would not stick against the fragment's m
open(fragment, "w").write(open(f"{root}/targets/qemu-arm64/kernel.fragment").read().replace("CONFIG_LKDTM=m", "CONFIG_LKDTM=y"))
for a, b in [('id = "qemu-bisect"', f'id = "{cid}"'), ('"../targets/qemu-arm64/kernel.fragment"', f'"{fragment}"'), ('mode = "sequential"', 'mode = "binary"'), ("baseline = true", "baseline = false"),
             ('name = "LKDTM"\nvalue = "m"', 'name = "LKDTM"\nvalue = "y"'), ('"../targets/', f'"{root}/targets/'), ('"../tests/', f'"{root}/tests/')]:
    text = text.replace(a, b)
print(text)
EOF
}

# Rounds, jobs, build seconds and LAVA's own job times from the run's output and journal.
measure() { # k wall output artifacts/id
  python3 - "$@" "$URL" "$LAVA_DIR/token" <<'EOF'
import json, re, sys, urllib.request
from datetime import datetime
k, wall, out, dirn, url, token = sys.argv[1:7]
text = open(out).read()
jobs = [int(j) for j in re.findall(r"LAVA job (\d+) submitted", text)]
rounds = len(re.findall(r"round of \d+:", text)) if int(k) > 1 else len(jobs)
t = lambda s: datetime.fromisoformat(s.replace("Z", "+00:00"))
begin, build = {}, 0.0
for line in open(f"{dirn}/journal"):
    e = json.loads(line)
    if not e["step"].endswith("/build"): continue
    if e["event"] == "start": begin[e["step"]] = t(e["at"])
    elif e["event"] == "end" and e["step"] in begin: build += (t(e["at"]) - begin.pop(e["step"])).total_seconds()
auth = {"Authorization": "Token " + open(token).read().strip()}
spans = []
for j in jobs:
    d = json.load(urllib.request.urlopen(urllib.request.Request(f"{url}api/v0.2/jobs/{j}/", headers=auth)))
    spans.append((t(d["start_time"]), t(d["end_time"]), d["actual_device"]))
busy = sum((b - a).total_seconds() for a, b, _ in spans)
answer = re.search(r"first bad patch [^,;]+", text)
print(f"| {k} | {float(wall):.0f} s | {rounds} | {len(jobs)} | {build:.0f} s | {busy:.0f} s | {len({d for _, _, d in spans})} | {answer.group(0) if answer else 'no answer'} |")
EOF
}

echo "== $(nproc) cores, $(date -u '+%F %H:%M UTC'), $(uname -m), lava-server $(dpkg-query -W -f='${Version}' lava-server 2>/dev/null)"
rows=()
for k in "${BOARDS[@]}"; do
  id=kary-bench-k$k
  campaign "$id" > "$work/$id.toml"
  start=$(date +%s)
  NO_COLOR=1 KERNELSOAK_ROOT=$ROOT dotnet "$HOST" --target=Bisect --campaign="$work/$id.toml" --board-kind=lava --lava-server="$URL" \
    --lava-token-file="$LAVA_DIR/token" --lava-device-type=qemu --lava-root-disk="$work/rootfs.ext4" --lava-poll-seconds=2 \
    --lava-boards="$k" --paths-artifacts="$work/artifacts" > "$work/$id.out" 2>&1 || { tail -40 "$work/$id.out" >&2; exit 1; }
  wall=$(( $(date +%s) - start ))
  rows+=("$(measure "$k" "$wall" "$work/$id.out" "$work/artifacts/$id")")
done
echo "| boards | wall time | rounds | LAVA jobs | building | LAVA job time (sum) | devices used | answer |"
echo "|---|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
