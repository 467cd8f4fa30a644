#!/usr/bin/env bash
# Installs and starts a Docker engine with the compose v2 plugin, for the compose target and the
# reference harness (fixtures/harness). No systemd on these machines: we start dockerd ourselves.
#
#   scripts/docker-engine.sh          install what is missing, start dockerd if it is not answering,
#                                     wait (bounded) for `docker info`; prints "docker engine ready …"
#   scripts/docker-engine.sh stop     stops the dockerd THIS script started (pid file); an engine
#                                     someone else started is left alone
#
# Idempotent: a second run with the engine up only checks it. On failure it prints ONE line saying
# what is missing and exits non-zero (CI fails loudly on it).
#
# Compose v2: Debian bookworm's docker-compose is v1 (container names project_svc_1, which
# testcontainers 12 does not find); trixie's docker-compose 2.26 is a CLI plugin needing only libc.
# We download that one package through a sources list of its own and never add trixie to the
# system's apt sources — while trixie is listed, any later apt-get install upgrades dozens of
# packages to it (see ../shared/reference/toolchain-notes.md).
set -euo pipefail

STATE="${DOCKER_ENGINE_STATE:-$HOME/.cache/conformance/docker-engine}"
PIDFILE="$STATE/dockerd.pid"
LOG="$STATE/dockerd.log"
WAIT_S="${DOCKER_ENGINE_WAIT_S:-60}"
COMPOSE_VERSION="${DOCKER_COMPOSE_DEB_VERSION:-2.26.1-4}"
PLUGIN_DIR=/usr/libexec/docker/cli-plugins

die() { echo "docker-engine.sh: $*" >&2; exit 1; }

# `docker info` against a daemon that accepts connections but never answers would hang: bound it.
engine_answers() { timeout 10 docker info >/dev/null 2>&1; }
compose_works() { timeout 10 docker compose version >/dev/null 2>&1; }

need_root() { [ "$(id -u)" = 0 ] || die "$1 needs root (run this script as root, or: $2)"; }

install_engine() {
  if command -v dockerd >/dev/null 2>&1 && command -v docker >/dev/null 2>&1; then return; fi
  need_root "installing the Docker engine" "apt-get install -y docker.io"
  echo "installing docker.io (apt)…" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q docker.io >/dev/null 2>&1 \
    || { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q docker.io >/dev/null 2>&1; } \
    || die "apt-get install docker.io failed (no Debian mirror reachable?); install Docker yourself and re-run"
}

# The Debian mirror the system already uses (deb822 or one-line format), so the trixie download goes
# wherever bookworm's packages come from.
debian_uri() {
  local uri
  uri="$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)"
  [ -n "$uri" ] || uri="$(awk '$1 == "deb" && $0 !~ /security/ { print $2; exit }' /etc/apt/sources.list 2>/dev/null || true)"
  echo "${uri:-http://deb.debian.org/debian}"
}

install_compose_plugin() {
  if compose_works; then return; fi
  need_root "installing the compose v2 plugin" "see ../shared/reference/toolchain-notes.md"
  echo "installing the compose v2 plugin (docker-compose $COMPOSE_VERSION from Debian trixie)…" >&2
  local work
  work="$(mktemp -d)"
  # A throw-away apt state: trixie's lists land here, never in the system's.
  mkdir -p "$work/lists/partial"
  echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $(debian_uri) trixie main" > "$work/trixie.list"
  local opts=(-o "Dir::Etc::sourcelist=$work/trixie.list" -o "Dir::Etc::sourceparts=-" -o "Dir::State::lists=$work/lists")
  apt-get "${opts[@]}" update -q >/dev/null 2>&1 || { rm -rf "$work"; die "apt-get update against Debian trixie failed (mirror $(debian_uri)); cannot fetch the compose v2 plugin"; }
  (cd "$work" && apt-get "${opts[@]}" download -q "docker-compose=$COMPOSE_VERSION" >/dev/null 2>&1) \
    || { rm -rf "$work"; die "apt-get download docker-compose=$COMPOSE_VERSION (trixie) failed; set DOCKER_COMPOSE_DEB_VERSION to the version trixie has"; }
  dpkg-deb -x "$work"/docker-compose_*.deb "$work/x"
  mkdir -p "$PLUGIN_DIR"
  install -m 0755 "$work/x$PLUGIN_DIR/docker-compose" "$PLUGIN_DIR/docker-compose"
  rm -rf "$work"
  compose_works || die "the compose plugin installed in $PLUGIN_DIR does not run: docker compose version fails"
}

start_engine() {
  if engine_answers; then return; fi
  need_root "starting dockerd" "dockerd &"
  mkdir -p "$STATE"
  if [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
    echo "dockerd (pid $(cat "$PIDFILE")) is running but not answering yet; waiting…" >&2
  elif [ -S /var/run/docker.sock ] && pgrep -x dockerd >/dev/null 2>&1; then
    # Someone else's dockerd: it owns the socket; starting a second one would fail on its pid file.
    echo "a dockerd not started by this script is running; waiting for it to answer…" >&2
  else
    # One command in the background, not a list: $! must be dockerd's own pid for `stop`. Without the
    # lock's descriptor (9>&-): a dockerd that inherited it would hold the lock as long as it runs, and
    # the next start would wait 300 s on an engine that is up.
    nohup dockerd > "$LOG" 2>&1 9>&- &
    echo $! > "$PIDFILE"
  fi
  local started=$SECONDS
  while ! engine_answers; do
    if [ -f "$PIDFILE" ] && ! kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
      die "dockerd exited before answering; last log line: $(tail -n 1 "$LOG" 2>/dev/null) (full log: $LOG)"
    fi
    [ $((SECONDS - started)) -lt "$WAIT_S" ] || die "docker info did not answer within ${WAIT_S}s (log: $LOG)"
    sleep 0.5
  done
}

stop_engine() {
  [ -f "$PIDFILE" ] || { echo "docker-engine.sh: no dockerd started by this script (no $PIDFILE); nothing stopped" >&2; return 0; }
  local pid
  pid="$(cat "$PIDFILE")"
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    # dockerd stops its containers first (10 s each by default); give it that, then insist.
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid"; fi
  fi
  rm -f "$PIDFILE"
  echo "docker-engine.sh: stopped dockerd (pid $pid)" >&2
}

case "${1:-start}" in
  start)
    t0=$SECONDS
    # Two runs at once (two test processes, two engineers) must not both install or both start a
    # daemon: the second waits for the first, bounded, then finds the engine up.
    mkdir -p "$STATE"
    if command -v flock >/dev/null 2>&1; then
      exec 9>"$STATE/lock"
      flock -w 300 9 || die "another scripts/docker-engine.sh held $STATE/lock for 300 s"
    fi
    install_engine
    start_engine
    install_compose_plugin
    echo "docker engine ready: server $(timeout 10 docker version --format '{{.Server.Version}}' 2>/dev/null), compose $(timeout 10 docker compose version --short 2>/dev/null) ($((SECONDS - t0)) s)"
    ;;
  stop) stop_engine ;;
  *) die "unknown command '$1': use start (the default) or stop" ;;
esac
