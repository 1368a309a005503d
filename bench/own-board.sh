# Sourced by the board benches: builds and boots a throwaway emulated board (cached kernel) on port $1,
# leaves its directory in $W, and powers it off on exit.
W=$(mktemp -d /tmp/ks-bench-board-XXXX)
trap 'echo quit | nc -U -q1 "$W/qmon.sock" >/dev/null 2>&1 || true; rm -rf "$W"' EXIT
K=$(targets/qemu-arm64/build-kernel.sh 2>/dev/null | tail -1)
SSH_PORT=$1 targets/qemu-arm64/make-board.sh "$W" "$K" >/dev/null 2>&1
setsid -f sh -c "exec '$W/boot.sh' > '$W/qemu.out' 2>&1 < /dev/null"
for _ in $(seq 600); do
  ssh -F "$W/ssh_config" -o ConnectTimeout=2 board true 2>/dev/null && break
  # QEMU gone (e.g. the port still held by a board that is going down): say why instead of waiting forever.
  [ -s "$W/qemu.out" ] && grep -q . "$W/qemu.out" && ! pgrep -f "$W/boot.img" >/dev/null && { cat "$W/qemu.out" >&2; exit 1; }
  sleep 0.5
done
dotnet build bench/BoardBench -c Release -nologo -v quiet -clp:ErrorsOnly >/dev/null
