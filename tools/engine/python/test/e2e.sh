#!/usr/bin/env bash
# End-to-end test of the Python language host with the real toolchain (scripts/engine.sh):
#
#   1. a Python program using pulumi_random: pulumi install, up, preview --expect-no-changes,
#      the stack output read back, destroy;
#   2. a Node.js source-based component package (PulumiPlugin.yaml runtime: nodejs, component
#      testpkg:index:Thing) added to a Python project with `pulumi package add <dir>`: the generated
#      SDK is imported by the program, then up, preview --expect-no-changes, output check, destroy.
#
# Everything runs in a temporary directory (removed at the end) with a local file backend. Python
# packages come from PyPI (pip's index and PIP_FIND_LINKS as configured); the Node.js component
# finds @pulumi/pulumi through NODE_PATH (the repository's node_modules), so nothing is installed
# into the repository. Each step prints its duration and has a time-out.
#
#   tools/engine/python/test/e2e.sh            (from anywhere; builds the toolchain if needed)
#   KEEP=1 tools/engine/python/test/e2e.sh     keep the temporary directory for inspection
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../../.." && pwd)
PYTHON_SDK_VERSION=${PYTHON_SDK_VERSION:-3.272.0}
RANDOM_SDK_VERSION=${RANDOM_SDK_VERSION:-4.21.2}
STEP_TIMEOUT=${STEP_TIMEOUT:-600}

eval "$("$root/scripts/engine.sh" env)"
command -v pulumi-language-python >/dev/null || { echo "e2e: no pulumi-language-python on PATH" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/pyhost-e2e.XXXXXX")
cleanup() {
    local rc=$?
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

failures=0

# step, expect, write_component
. "$root/tools/engine/test/lib.sh"

# --- 1. pulumi_random ------------------------------------------------------------------------
scenario_random() {
    local dir=$tmp/random
    mkdir -p "$dir"
    cat >"$dir/Pulumi.yaml" <<'EOF'
name: py-random
runtime:
  name: python
  options:
    virtualenv: venv
EOF
    printf 'pulumi==%s\npulumi-random==%s\n' "$PYTHON_SDK_VERSION" "$RANDOM_SDK_VERSION" >"$dir/requirements.txt"
    cat >"$dir/__main__.py" <<'EOF'
import pulumi
import pulumi_random as random

config = pulumi.Config()
pet = random.RandomPet("pet", length=config.get_int("length") or 2, separator="-")
pulumi.export("pet", pet.id)
pulumi.export("words", pet.id.apply(lambda s: len(s.split("-"))))
EOF
    cd "$dir"
    step random-install pulumi install || return 1
    [ -x venv/bin/python ] || { echo "e2e: pulumi install made no venv"; return 1; }
    step random-stack-init pulumi stack init dev || return 1
    step random-config pulumi config set length 3 || return 1
    step random-up pulumi up --yes --skip-preview || return 1
    step random-preview pulumi preview --expect-no-changes || return 1
    local pet words
    pet=$(pulumi stack output pet)
    words=$(pulumi stack output words)
    expect random-output-words "$words" 3 || return 1
    [[ $pet =~ ^[a-z]+-[a-z]+-[a-z]+$ ]] || { echo "e2e: unexpected pet $pet"; return 1; }
    step random-destroy pulumi destroy --yes --skip-preview || return 1
    expect random-resources-left "$(pulumi stack export | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["deployment"].get("resources") or []))')" 0 || return 1
    step random-stack-rm pulumi stack rm --yes dev || return 1
}

# --- 2. a Node.js component package, added with `pulumi package add` ---------------------------

scenario_component() {
    local comp=$tmp/component dir=$tmp/consumer
    write_component "$comp"
    # The node host resolves @pulumi/pulumi/cmd/run-plugin from the plugin's directory; NODE_PATH
    # makes the repository's copy the one it and the provider's require() find.
    export NODE_PATH="$root/node_modules"
    [ -f "$NODE_PATH/@pulumi/pulumi/cmd/run-plugin/index.js" ] || { echo "e2e: no @pulumi/pulumi in $NODE_PATH (npm ci)"; return 1; }
    mkdir -p "$dir"
    cat >"$dir/Pulumi.yaml" <<'EOF'
name: py-component
runtime:
  name: python
  options:
    virtualenv: venv
EOF
    printf 'pulumi==%s\n' "$PYTHON_SDK_VERSION" >"$dir/requirements.txt"
    cat >"$dir/__main__.py" <<'EOF'
import pulumi
import pulumi_testpkg as testpkg

thing = testpkg.Thing("thing", prefix="py")
pulumi.export("name", thing.name)
EOF
    cd "$dir"
    step component-install pulumi install || return 1
    step component-package-add pulumi package add "$comp" || return 1
    [ -f sdks/testpkg/pulumi_testpkg/__init__.py ] || { echo "e2e: no generated SDK in sdks/testpkg"; ls -R sdks 2>/dev/null | head; return 1; }
    grep -qx './sdks/testpkg' requirements.txt || { echo "e2e: requirements.txt not linked:"; cat requirements.txt; return 1; }
    grep -q 'testpkg' Pulumi.yaml || { echo "e2e: Pulumi.yaml has no package entry:"; cat Pulumi.yaml; return 1; }
    venv/bin/python -c 'import pulumi_testpkg' || { echo "e2e: the SDK is not installed in the venv"; return 1; }
    step component-stack-init pulumi stack init dev || return 1
    step component-up pulumi up --yes --skip-preview || return 1
    step component-preview pulumi preview --expect-no-changes || return 1
    expect component-output-name "$(pulumi stack output name)" py-thing || return 1
    step component-destroy pulumi destroy --yes --skip-preview || return 1
    step component-stack-rm pulumi stack rm --yes dev || return 1
}

started=$SECONDS
for scenario in scenario_random scenario_component; do
    # Every step ends its scenario on failure (|| return 1): set -e does not apply in a function
    # called on the left of ||.
    "$scenario" || failures=$((failures + 1))
done
echo "e2e: $((SECONDS - started)) s, $failures scenario(s) failed"
[ "$failures" = 0 ]
