#!/usr/bin/env bash
# A Docker engine for the real tests.
#
#   scripts/docker-engine.sh start    use the running engine, or install Debian's docker.io (as
#                                     root) and start dockerd; waits until it answers
#   scripts/docker-engine.sh stop     stop dockerd, only if `start` started it
#   scripts/docker-engine.sh status   say which engine answers; exit 1 if none
#
# The engine is the one DOCKER_HOST names, or the local socket. What `start` started is recorded
# in $DOCKYARD_STATE (default /run/dockyard), so `stop` never stops an engine it did not start.
set -euo pipefail

state=${DOCKYARD_STATE:-/run/dockyard}
pidfile="$state/dockerd.pid"
say() { printf 'docker-engine: %s\n' "$*" >&2; }
die() { printf 'docker-engine: %s\n' "$*" >&2; exit 1; }

answers() { timeout 10 docker version --format '{{.Server.Version}} (API {{.Server.APIVersion}})' 2>/dev/null; }

start() {
    local v
    if v=$(answers); then say "using the running engine: Docker $v"; return 0; fi
    if [ -n "${DOCKER_HOST:-}" ] && [ "${DOCKER_HOST#unix://}" = "$DOCKER_HOST" ]; then
        die "DOCKER_HOST=$DOCKER_HOST does not answer; start that engine, or unset DOCKER_HOST to use a local one."
    fi
    if ! command -v dockerd >/dev/null 2>&1; then
        [ "$(id -u)" = 0 ] || die "no Docker engine answers and dockerd is not installed: install Docker (Debian: apt-get install docker.io) and start it, or run this as root."
        say "installing Debian's docker.io ..."
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends docker.io >/dev/null
    fi
    command -v docker >/dev/null 2>&1 || die "the docker client is missing (Debian: apt-get install docker.io)"
    [ "$(id -u)" = 0 ] || die "no Docker engine answers: start one (sudo systemctl start docker, or sudo dockerd)."
    mkdir -p "$state"
    say "starting dockerd (log: $state/dockerd.log) ..."
    # setsid: the daemon outlives this script and is not killed with the caller's process group.
    setsid dockerd >"$state/dockerd.log" 2>&1 < /dev/null &
    echo $! > "$pidfile"
    local i
    for i in $(seq 1 60); do
        if v=$(answers); then say "started Docker $v"; return 0; fi
        kill -0 "$(cat "$pidfile")" 2>/dev/null || { tail -n 20 "$state/dockerd.log" >&2; rm -f "$pidfile"; die "dockerd exited at start (log above)"; }
        sleep 1
    done
    tail -n 20 "$state/dockerd.log" >&2
    die "dockerd did not answer within 60 s (log above)"
}

stop() {
    [ -f "$pidfile" ] || { say "this script started no engine; nothing to stop"; return 0; }
    local pid; pid=$(cat "$pidfile")
    if kill -0 "$pid" 2>/dev/null; then
        say "stopping dockerd ($pid) ..."
        kill "$pid"
        local i
        for i in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
        kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
    fi
    rm -f "$pidfile"
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    status) v=$(answers) && say "Docker $v" || { say "no Docker engine answers"; exit 1; } ;;
    *) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
