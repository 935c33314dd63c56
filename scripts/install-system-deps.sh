#!/usr/bin/env bash
# System packages the tests need, from Debian: promtool (package `prometheus`) checks the generated
# Prometheus configuration, rules and rule unit tests; amtool (`prometheus-alertmanager`) checks the
# generated Alertmanager configuration; openssl and curl make and probe the test cluster's
# certificates (scripts/kube-cluster.sh) and the test registry's; docker-registry (the CNCF
# distribution registry) and htpasswd (apache2-utils) run the private registry of the real tests
# (tests/e2e/registry.ts). Idempotent; run as root (or with sudo).
set -euo pipefail
tools=(promtool amtool openssl curl docker-registry htpasswd)
have_all() {
    for t in "${tools[@]}"; do command -v "$t" >/dev/null 2>&1 || return 1; done
}
if have_all; then
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
apt-get install -y -qq --no-install-recommends prometheus prometheus-alertmanager openssl curl docker-registry apache2-utils >/dev/null
have_all
