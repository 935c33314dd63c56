#!/usr/bin/env bash
# `pulumi up` of one stack (default dev), creating the stack on first use with the passphrase
# secrets provider. Finds or builds the Pulumi toolchain (scripts/engine.sh) and, for the Docker
# and Swarm stacks, checks that a Docker engine answers before anything is planned.
# Every up runs the CIS policy pack (policy/, compiled into bin/policy), with policy/<stack>.json as
# its configuration when there is one: prod's makes the rules mandatory.
# Usage: scripts/up.sh [stack] [extra pulumi up flags...]
set -euo pipefail
cd "$(dirname "$0")/.."
stack="${1:-dev}"
shift || true
if [ -z "${PULUMI_CONFIG_PASSPHRASE:-}" ] && [ -z "${PULUMI_CONFIG_PASSPHRASE_FILE:-}" ]; then
    echo "up: export PULUMI_CONFIG_PASSPHRASE first (it encrypts the secrets of stack $stack, and is needed to read them back)." >&2
    exit 1
fi
config="stacks/Pulumi.$stack.yaml"
[ -f "$config" ] || { echo "up: no stack $stack: $config does not exist (stacks: $(ls stacks/Pulumi.*.yaml | sed 's#stacks/Pulumi.\(.*\).yaml#\1#' | tr '\n' ' '))" >&2; exit 1; }
eval "$(scripts/engine.sh env)"
runtime=$(sed -n 's/^ *dockyard:runtime: *"\{0,1\}\([a-z]*\)"\{0,1\} *$/\1/p' "$config")
if [ "$runtime" = docker ] || [ "$runtime" = swarm ]; then
    if ! timeout 10 docker version >/dev/null 2>&1; then
        echo "up: stack $stack deploys to a Docker engine, and none answers. Start one: scripts/docker-engine.sh start (as root), or sudo systemctl start docker." >&2
        exit 1
    fi
fi
[ -f bin/policy/index.js ] || npx tsc -p tsconfig.json
policy=(--policy-pack policy)
[ ! -f "policy/$stack.json" ] || policy+=(--policy-pack-config "policy/$stack.json")
pulumi stack select --create --secrets-provider passphrase "$stack"
pulumi up --stack "$stack" "${policy[@]}" "$@"
