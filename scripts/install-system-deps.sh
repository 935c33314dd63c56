#!/usr/bin/env bash
# System packages the tests need, from Debian: promtool (package `prometheus`) checks the generated
# Prometheus configuration, rules and rule unit tests; amtool (`prometheus-alertmanager`) checks the
# generated Alertmanager configuration; openssl and curl make and probe the test cluster's
# certificates (scripts/kube-cluster.sh). Idempotent; run as root (or with sudo).
set -euo pipefail
if command -v promtool >/dev/null 2>&1 && command -v amtool >/dev/null 2>&1 && command -v openssl >/dev/null 2>&1 && command -v curl >/dev/null 2>&1; then
    exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# Only the tools are needed; policy-rc.d keeps the packages from starting their daemons.
if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
    chmod +x /usr/sbin/policy-rc.d
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
fi
apt-get install -y -qq --no-install-recommends prometheus prometheus-alertmanager openssl curl >/dev/null
command -v promtool >/dev/null && command -v amtool >/dev/null && command -v openssl >/dev/null && command -v curl >/dev/null
