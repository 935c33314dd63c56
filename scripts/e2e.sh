#!/usr/bin/env bash
# The real tests (npm run e2e): the real Pulumi CLI and plugins against a real Docker engine and a
# real Kubernetes API server (scripts/kube-cluster.sh).
# Installs what they need (Debian's busybox-static for the stand-in images, a Docker engine, the
# Pulumi toolchain: see scripts/docker-engine.sh and scripts/engine.sh), builds, runs the suites
# under tests/e2e, and stops the engine only if it started it. Extra arguments go to mocha
# (e.g. --grep dev).
set -euo pipefail
cd "$(dirname "$0")/.."
started=$SECONDS
if ! [ -x /bin/busybox ] && ! [ -x /usr/bin/busybox ]; then
    [ "$(id -u)" = 0 ] || { echo "e2e: busybox is needed for the stand-in images: apt-get install busybox-static" >&2; exit 1; }
    echo "e2e: installing Debian's busybox-static ..." >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends busybox-static >/dev/null \
        || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends busybox-static >/dev/null; }
fi
# The private registry of tests/e2e/registry.e2e.ts: Debian's docker-registry and htpasswd (apache2-utils).
if ! command -v docker-registry >/dev/null 2>&1 || ! command -v htpasswd >/dev/null 2>&1; then
    [ "$(id -u)" = 0 ] || { echo "e2e: the registry tests need docker-registry and htpasswd: run scripts/install-system-deps.sh as root" >&2; exit 1; }
    scripts/install-system-deps.sh
fi
scripts/docker-engine.sh start
# Quietly: the suite's summary stays the last line.
trap 'scripts/docker-engine.sh stop >/dev/null 2>&1' EXIT
eval "$(scripts/engine.sh env)"
# The Kubernetes suites' cluster (etcd, the control plane and kwok on loopback, built from the Go
# module proxy and cached like the toolchain): started afresh, stopped with everything it runs.
scripts/kube-cluster.sh start
trap 'scripts/kube-cluster.sh stop >/dev/null 2>&1; scripts/docker-engine.sh stop >/dev/null 2>&1' EXIT
eval "$(scripts/kube-cluster.sh env)"
echo "e2e: $(pulumi version) on $(docker version --format 'Docker {{.Server.Version}} (API {{.Server.APIVersion}})'); setup took $((SECONDS - started)) s" >&2
# The Go tests of our own plugins (the language host, the command provider), where Go is here.
if command -v go >/dev/null 2>&1; then
    scripts/engine.sh test
fi
# The Python, Go and YAML language hosts on their own (a small Node.js component package added with
# `pulumi package add`; in Python and YAML a random-provider program too): about two minutes.
tools/engine/python/test/e2e.sh
tools/engine/go/test/e2e.sh
tools/engine/yaml/test/e2e.sh
npx tsc -p tsconfig.json
npx mocha --config .mocharc.e2e.json "$@"
