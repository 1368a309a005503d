#!/usr/bin/env bash
# lava-local.sh [--stop] - a real LAVA on this machine for the LAVA tests: Debian 12's lava-server and
# lava-dispatcher (2023.01, PostgreSQL with them), every daemon bound to 127.0.0.1, one worker and
# two qemu devices on it (two jobs can run at once: what a k-ary bisect needs).
# Idempotent: a second run only starts what is not running. Runs as root.
#
# Leaves, in $KS_LAVA_DIR (default /var/lib/kernelsoak-lava):
#   url    the server's base URL (http://127.0.0.1:8000/)
#   token  an API token of the superuser 'kernelsoak' (mode 0600; never printed)
#   user   the token's user
# Daemons: started by hand with pid files in /run/lava-local (this kind of machine has no systemd);
# logs in /var/log/lava-local. --stop ends them (PostgreSQL is left running).
#
# Measured on the 2-core test machine (PostgreSQL already installed, a kernel build running beside):
# apt-get install of the 190 packages 171 s; the configuration below ~40 s on a first run.
set -euo pipefail
[ "$(id -u)" = 0 ] || { echo "lava-local.sh: run as root (it installs packages and starts daemons)" >&2; exit 1; }
# A caller's open descriptors (the lock file of a `flock` around the tests, say) must not live on in the daemons
# started below: they would hold the lock for as long as LAVA runs. 255 is bash's own copy of this script.
for fd in $(ls /proc/$$/fd); do [ "$fd" -gt 2 ] && [ "$fd" -lt 255 ] && eval "exec $fd>&-"; done
DIR=${KS_LAVA_DIR:-/var/lib/kernelsoak-lava}
RUN=/run/lava-local
LOGS=/var/log/lava-local
PORT=8000          # lava-server (gunicorn): the REST API and the workers' internal API
EVENTS_PORT=8001   # lava-publisher: the websocket the worker listens on for 'job ready' events
WORKER=kernelsoak-worker
DEVICES=(qemu-01 qemu-02)
USER_NAME=kernelsoak
URL=http://127.0.0.1:$PORT/
say() { printf '== %s\n' "$*" >&2; }

running() { local p; p=$(cat "$RUN/$1.pid" 2>/dev/null) && kill -0 "$p" 2>/dev/null; }

if [ "${1:-}" = --stop ]; then
  for d in lava-worker lava-scheduler lava-publisher lava-server-gunicorn; do
    if running "$d"; then
      # Each daemon leads its own process group (setsid): the group goes, gunicorn's workers with it. The
      # publisher can sit on SIGTERM, so what is left after 10 s is killed.
      p=$(cat "$RUN/$d.pid"); kill -- -"$p" 2>/dev/null || kill "$p"
      for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.2; done
      kill -9 -- -"$p" 2>/dev/null || true
      say "stopped $d"
    fi
    rm -f "$RUN/$d.pid"
  done
  exit 0
fi

started=$(date +%s)
mkdir -p "$DIR" "$RUN" "$LOGS"
chmod 0700 "$DIR"
# ---------------------------------------------------------------- packages
# PostgreSQL first, and running: lava-server's postinst creates its database and runs the migrations.
if ! dpkg-query -W -f='${Status}' postgresql 2>/dev/null | grep -q 'ok installed'; then
  say "installing postgresql"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends postgresql >/dev/null
fi
PG=$(pg_lsclusters -h | awk 'NR==1 {print $1" "$2}')
[ -n "$PG" ] || { echo "lava-local.sh: no PostgreSQL cluster (pg_lsclusters is empty)" >&2; exit 1; }
# shellcheck disable=SC2086
pg_ctlcluster $PG status >/dev/null 2>&1 || { say "starting PostgreSQL $PG"; pg_ctlcluster $PG start; }
if ! dpkg-query -W -f='${Status}' lava-server lava-dispatcher 2>/dev/null | grep -q 'ok installed.*ok installed'; then
  say "installing lava-server and lava-dispatcher (about 190 packages, ~3 min)"
  t=$(date +%s)
  # No recommends: apache2 (we talk to gunicorn directly), linux headers and the like are not needed.
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends lava-server lava-dispatcher >"$LOGS/install.log" 2>&1 \
    || { tail -30 "$LOGS/install.log" >&2; exit 1; }
  say "installed in $(( $(date +%s) - t )) s (log: $LOGS/install.log)"
fi
manage() { lava-server manage "$@"; }
manage migrate --noinput >/dev/null

# ---------------------------------------------------------------- daemons' settings: 127.0.0.1 only
# The same files the Debian units read, so a systemd machine's units bind where these do.
# The publisher's ZMQ socket binds every address by default ("tcp://*:5500"); events on, so the worker
# hears of a job at once instead of at its next 20 s ping.
cat > /etc/lava-server/settings.d/01-kernelsoak.yaml <<EOF
EVENT_SOCKET: "tcp://127.0.0.1:5500"
EVENT_NOTIFICATION: true
EOF
cat > /etc/lava-server/lava-server-gunicorn <<EOF
BIND="--bind 127.0.0.1:$PORT"
WORKERS=2
EOF
cat > /etc/lava-server/lava-publisher <<EOF
HOST=127.0.0.1
PORT=$EVENTS_PORT
EOF
cat > /etc/lava-dispatcher/lava-worker <<EOF
WORKER_NAME="--name $WORKER"
URL="$URL"
WS_URL="--ws-url http://127.0.0.1:$EVENTS_PORT/ws/"
EOF

# ---------------------------------------------------------------- user, token, worker, devices
if ! manage users details "$USER_NAME" >/dev/null 2>&1; then
  say "adding the superuser $USER_NAME"
  manage users add --superuser --staff "$USER_NAME" >/dev/null   # a random password nobody needs: the token is the way in
fi
echo "$URL" > "$DIR/url"
echo "$USER_NAME" > "$DIR/user"
if [ ! -s "$DIR/token" ]; then
  say "adding an API token for $USER_NAME ($DIR/token, mode 0600)"
  (umask 077; manage tokens add --user "$USER_NAME" --description "KernelSoak tests" > "$DIR/token.new")
  # The command prints the token alone; anything else means it failed.
  grep -qxE '[A-Za-z0-9]{20,}' "$DIR/token.new" || { rm -f "$DIR/token.new"; echo "lava-local.sh: 'tokens add' gave no token" >&2; exit 1; }
  mv "$DIR/token.new" "$DIR/token"
fi
chmod 0600 "$DIR/token"

if ! manage workers details "$WORKER" >/dev/null 2>&1; then
  say "adding the worker $WORKER"
  manage workers add --health ACTIVE --description "KernelSoak's local worker" "$WORKER" >/dev/null   # it prints the worker's token
fi
# The worker proves itself with the token the server made for it (read from the database, kept 0600).
WORKER_DIR=/var/lib/lava/dispatcher/worker
mkdir -p "$WORKER_DIR"
(umask 077; manage shell -c "from lava_scheduler_app.models import Worker; print(Worker.objects.get(hostname='$WORKER').token)" > "$WORKER_DIR/token")

manage device-types list 2>/dev/null | grep -qw qemu || { say "adding the device type qemu"; manage device-types add qemu; }
mac=58
for d in "${DEVICES[@]}"; do
  # A device dictionary per device: its own MAC; the job's context picks arch, cpu, machine and memory.
  cat > "/etc/lava-server/dispatcher-config/devices/$d.jinja2" <<EOF
{% extends 'qemu.jinja2' %}
{% set mac_addr = '52:54:00:12:34:$mac' %}
{% set memory = 1024 %}
EOF
  mac=$((mac + 1))
  if ! manage devices details "$d" >/dev/null 2>&1; then
    say "adding the device $d on $WORKER"
    manage devices add --device-type qemu --worker "$WORKER" --description "KernelSoak test device" "$d"
  fi
done

# ---------------------------------------------------------------- start what is not running
start() { # name command...
  local name=$1; shift
  if running "$name"; then return; fi
  say "starting $name"
  setsid "$@" >>"$LOGS/$name.log" 2>&1 < /dev/null &
  echo $! > "$RUN/$name.pid"
}
chown lavaserver:lavaserver "$LOGS"
start lava-server-gunicorn gunicorn3 lava_server.wsgi --log-level INFO --log-file "$LOGS/gunicorn.log" \
  -u lavaserver -g lavaserver --worker-class eventlet --workers 2 --bind "127.0.0.1:$PORT"
start lava-publisher lava-server manage lava-publisher --level INFO --log-file "$LOGS/publisher.log" --host 127.0.0.1 --port "$EVENTS_PORT"
start lava-scheduler lava-server manage lava-scheduler --level INFO --log-file "$LOGS/scheduler.log"
start lava-worker lava-worker --level INFO --url "$URL" --ws-url "http://127.0.0.1:$EVENTS_PORT/ws/" --name "$WORKER" \
  --token-file "$WORKER_DIR/token" --worker-dir "$WORKER_DIR"

# ---------------------------------------------------------------- ready: the API answers, the worker is online
token=$(cat "$DIR/token")
for _ in $(seq 60); do
  state=$(curl -fsS -H "Authorization: Token $token" "${URL}api/v0.2/workers/$WORKER/" 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["state"])' 2>/dev/null || true)
  [ "$state" = Online ] && break
  sleep 2
done
[ "$state" = Online ] || { echo "lava-local.sh: the worker $WORKER is not online (state '${state:-no answer}'); see $LOGS" >&2; exit 1; }
say "LAVA is up at $URL: worker $WORKER online, devices ${DEVICES[*]}; token in $DIR/token ($(( $(date +%s) - started )) s)"
