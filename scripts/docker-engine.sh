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
    local args=()
    mapfile -t args < <(sandbox_adjustments)
    say "starting dockerd ${args[*]} (log: $state/dockerd.log) ..."
    # setsid: the daemon outlives this script and is not killed with the caller's process group.
    setsid dockerd "${args[@]}" >"$state/dockerd.log" 2>&1 < /dev/null &
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

# Capability names by number (linux/capability.h), for the bounding-set check below.
CAPS=(CHOWN DAC_OVERRIDE DAC_READ_SEARCH FOWNER FSETID KILL SETGID SETUID SETPCAP LINUX_IMMUTABLE
    NET_BIND_SERVICE NET_BROADCAST NET_ADMIN NET_RAW IPC_LOCK IPC_OWNER SYS_MODULE SYS_RAWIO SYS_CHROOT
    SYS_PTRACE SYS_PACCT SYS_ADMIN SYS_BOOT SYS_NICE SYS_RESOURCE SYS_TIME SYS_TTY_CONFIG MKNOD LEASE
    AUDIT_WRITE AUDIT_CONTROL SETFCAP MAC_OVERRIDE MAC_ADMIN SYSLOG WAKE_ALARM BLOCK_SUSPEND AUDIT_READ
    PERFMON BPF CHECKPOINT_RESTORE)

# What a sandboxed machine (such as CI's) lacks that a host running dockerd under systemd has; only
# for an engine this script starts. Prints extra dockerd arguments, one per line.
#  - systemd makes / a shared mount; without that, a bind mount with rslave propagation (node-exporter
#    mounts the host's / so) is refused: make it shared, as systemd would.
#  - a privileged container asks for every capability; where this process's bounding set lacks some
#    (seen: CAP_SYS_RESOURCE), runc fails with "unable to apply caps". A wrapper runtime drops from
#    each container's capabilities exactly those the machine cannot grant, and is made the default.
sandbox_adjustments() {
    if [ "$(findmnt -no PROPAGATION / 2>/dev/null)" = private ]; then
        say "making / a shared mount (as systemd does), for rslave bind mounts"
        mount --make-rshared / || say "could not make / shared: rslave bind mounts will fail"
    fi
    local bnd missing=() i
    bnd=$((16#$(sed -n 's/^CapBnd:[[:space:]]*//p' /proc/self/status)))
    for i in "${!CAPS[@]}"; do
        (( (bnd >> i) & 1 )) || missing+=("CAP_${CAPS[$i]}")
    done
    [ ${#missing[@]} -gt 0 ] || return 0
    local runc; runc=$(command -v runc) || return 0
    say "this machine cannot grant ${missing[*]}: containers get every other capability (runtime dockyard-runc)"
    local drop; drop=$(printf '"%s",' "${missing[@]}")
    cat > "$state/dockyard-runc" <<WRAPPER
#!/bin/sh
# runc, minus the capabilities this machine's bounding set lacks (written by scripts/docker-engine.sh).
bundle=.
prev=
for a in "\$@"; do
    [ "\$prev" = --bundle ] || [ "\$prev" = -b ] && bundle=\$a
    prev=\$a
done
if [ -f "\$bundle/config.json" ]; then
    python3 - "\$bundle/config.json" <<'PY'
import json, sys
drop = {${drop%,}}
path = sys.argv[1]
with open(path) as f:
    spec = json.load(f)
caps = spec.get("process", {}).get("capabilities") or {}
for kind, names in caps.items():
    caps[kind] = [c for c in names if c not in drop]
with open(path, "w") as f:
    json.dump(spec, f)
PY
fi
exec $runc "\$@"
WRAPPER
    chmod +x "$state/dockyard-runc"
    printf '%s\n' --add-runtime "dockyard-runc=$state/dockyard-runc" --default-runtime dockyard-runc
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
