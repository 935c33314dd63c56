#!/usr/bin/env bash
# System packages the tests need, from Debian: promtool (package `prometheus`) checks the generated
# Prometheus configuration and alert rules. Idempotent; run as root (or with sudo).
set -euo pipefail
if command -v promtool >/dev/null 2>&1; then
    exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends prometheus >/dev/null
command -v promtool >/dev/null
