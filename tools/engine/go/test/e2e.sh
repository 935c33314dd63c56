#!/usr/bin/env bash
# End-to-end test of the Go language host with the real toolchain (scripts/engine.sh): a Node.js
# source-based component package (tools/engine/testpkg: PulumiPlugin.yaml runtime: nodejs,
# component testpkg:index:Thing) added to a Go program with `pulumi package add <dir>`; the
# program uses the generated SDK (testpkg.NewThing) and exports the component's name. Then up,
# preview --expect-no-changes, the output read back, destroy.
#
# Everything runs in a temporary directory (removed at the end) with a local file backend. Go
# modules come from the module proxy (GOPROXY/GOFLAGS as the machine has them); the Node.js
# component finds @pulumi/pulumi through NODE_PATH (the repository's node_modules), so nothing is
# installed into the repository. Each step prints its duration and has a time-out; the first
# build of a program with the Pulumi Go SDK may take minutes (it is measured by the install and up
# steps).
#
#   tools/engine/go/test/e2e.sh            (from anywhere; builds the toolchain if needed)
#   KEEP=1 tools/engine/go/test/e2e.sh     keep the temporary directory for inspection
#   COLD=1 tools/engine/go/test/e2e.sh     empty Go module and build caches (in the temporary
#                                          directory), to measure a first build on a fresh machine
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../../.." && pwd)
GO_SDK_VERSION=${GO_SDK_VERSION:-v3.276.0}
STEP_TIMEOUT=${STEP_TIMEOUT:-900}

eval "$("$root/scripts/engine.sh" env)"
command -v pulumi-language-go >/dev/null || { echo "e2e: no pulumi-language-go on PATH" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/gohost-e2e.XXXXXX")
cleanup() {
    local rc=$?
    # The module cache is read-only; go clean empties it.
    if [ "${COLD:-}" = 1 ] && [ -d "$tmp/gomodcache" ]; then go clean -modcache >/dev/null 2>&1 || true; fi
    if [ "${KEEP:-}" = 1 ]; then echo "e2e: kept $tmp"; else rm -rf "$tmp"; fi
    exit $rc
}
trap cleanup EXIT

export PULUMI_CONFIG_PASSPHRASE=e2e-passphrase
export PULUMI_BACKEND_URL="file://$tmp/state"
export PULUMI_SKIP_UPDATE_CHECK=1
# No ambient credentials or stack from the caller's environment.
unset PULUMI_ACCESS_TOKEN PULUMI_STACK 2>/dev/null || true
mkdir -p "$tmp/state"
if [ "${COLD:-}" = 1 ]; then
    export GOMODCACHE="$tmp/gomodcache" GOCACHE="$tmp/gocache"
fi

# step, expect, write_component
. "$root/tools/engine/test/lib.sh"

scenario_component() {
    local comp=$tmp/component dir=$tmp/consumer
    write_component "$comp"
    # The node host resolves @pulumi/pulumi/cmd/run-plugin from the plugin's directory; NODE_PATH
    # makes the repository's copy the one it and the provider's require() find.
    export NODE_PATH="$root/node_modules"
    [ -f "$NODE_PATH/@pulumi/pulumi/cmd/run-plugin/index.js" ] || { echo "e2e: no @pulumi/pulumi in $NODE_PATH (npm ci)"; return 1; }
    mkdir -p "$dir"
    cat >"$dir/Pulumi.yaml" <<'EOF'
name: go-component
runtime: go
EOF
    cat >"$dir/go.mod" <<EOF
module go-component

go 1.25

require github.com/pulumi/pulumi/sdk/v3 $GO_SDK_VERSION
EOF
    cd "$dir"
    step component-package-add pulumi package add "$comp" || return 1
    [ -f sdks/testpkg/go.mod ] || { echo "e2e: no generated SDK in sdks/testpkg"; ls -R sdks 2>/dev/null | head; return 1; }
    local module
    module=$(sed -n 's/^module //p' sdks/testpkg/go.mod)
    grep -q "^replace $module => ./sdks/testpkg" go.mod || { echo "e2e: go.mod not linked:"; cat go.mod; return 1; }
    grep -q 'testpkg' Pulumi.yaml || { echo "e2e: Pulumi.yaml has no package entry:"; cat Pulumi.yaml; return 1; }
    echo "e2e: package add wrote module $module; import instructions:"
    sed -n '/import "/p' "$tmp/component-package-add.log" | sed 's/^/    | /'
    cat >main.go <<EOF
package main

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"$module/testpkg"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		thing, err := testpkg.NewThing(ctx, "x", &testpkg.ThingArgs{Prefix: pulumi.String("go")})
		if err != nil {
			return err
		}
		ctx.Export("name", thing.Name)
		return nil
	})
}
EOF
    # go mod tidy: the program now imports the SDK's packages (and, through them, more of the
    # Pulumi SDK's dependencies).
    step component-install pulumi install || return 1
    grep -q "github.com/pulumi/pulumi/sdk/v3 $GO_SDK_VERSION" go.mod || { echo "e2e: go.mod lost the SDK:"; cat go.mod; return 1; }
    step component-first-build go build -o "$tmp/program" . || return 1
    step component-stack-init pulumi stack init dev || return 1
    step component-up pulumi up --yes --skip-preview || return 1
    step component-preview pulumi preview --expect-no-changes || return 1
    expect component-output-name "$(pulumi stack output name)" go-x || return 1
    step component-destroy pulumi destroy --yes --skip-preview || return 1
    step component-stack-rm pulumi stack rm --yes dev || return 1
}

started=$SECONDS
failures=0
# Each step ends the scenario on failure with `|| return 1`: set -e does not apply inside a
# function whose caller tests its status.
scenario_component || failures=$((failures + 1))
echo "e2e: $((SECONDS - started)) s, $failures scenario(s) failed"
[ "$failures" = 0 ]
