#!/usr/bin/env bash
# `pulumi up` of one stack (default dev), creating the stack on first use with the passphrase
# secrets provider. Usage: scripts/up.sh [stack] [extra pulumi up flags...]
set -euo pipefail
cd "$(dirname "$0")/.."
stack="${1:-dev}"
shift || true
: "${PULUMI_CONFIG_PASSPHRASE:?export PULUMI_CONFIG_PASSPHRASE first: it encrypts this stack's secrets}"
pulumi stack select --create --secrets-provider passphrase "$stack"
pulumi up --stack "$stack" "$@"
