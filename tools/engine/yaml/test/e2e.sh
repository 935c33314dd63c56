#!/usr/bin/env bash
# End-to-end test of the YAML language host (pulumi-language-yaml) in the project's toolchain
# (scripts/engine.sh builds it if needed), on a local file backend in a temporary folder:
#
#   1. component: `pulumi package add` of a Node.js source-based component package (PulumiPlugin.yaml
#      `runtime: nodejs`, a provider serving testpkg:index:Thing through @pulumi/pulumi's
#      provider.main), then a YAML program using it: up, preview --expect-no-changes, the outputs,
#      destroy.
#   2. random: a YAML program with a random:RandomPet and an output: the same steps.
#
# Both scenarios run; the script fails if either does. Each step is bounded by $STEP_TIMEOUT
# seconds (default 300) and its time printed. Nothing outside the temporary folder is written: the
# backend comes from PULUMI_BACKEND_URL, not `pulumi login` (which would record it in the toolchain's
# shared PULUMI_HOME), and the component's node_modules is a link to the repository's, beside the
# package rather than in it (`pulumi package add` runs npm install in the package's folder, which
# would prune a linked @pulumi/pulumi the package.json does not list).
#
#   tools/engine/yaml/test/e2e.sh [component|random]...   (default: both)
set -uo pipefail

root=$(cd "$(dirname "$0")/../../../.." && pwd)
timeout_s=${STEP_TIMEOUT:-300}
scenarios=("$@")
[ ${#scenarios[@]} -gt 0 ] || scenarios=(component random)

say() { printf 'e2e-yaml: %s\n' "$*" >&2; }
die() { say "FAIL: $*"; exit 1; }

[ -d "$root/node_modules/@pulumi/pulumi" ] || die "no $root/node_modules/@pulumi/pulumi: run 'npm ci' first"
command -v node >/dev/null || die "node is not on PATH"
# Run as the project runs it (from the root, as scripts/engine.sh): its cache key hashes its own path
# as given, so "$root/scripts/engine.sh" would build a second toolchain.
env_lines=$(cd "$root" && scripts/engine.sh env) || die "scripts/engine.sh env failed"
eval "$env_lines"
command -v pulumi-language-yaml >/dev/null || die "no pulumi-language-yaml in the toolchain (scripts/engine.sh build)"
say "pulumi $(pulumi version), $(command -v pulumi-language-yaml)"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/e2e-yaml.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export PULUMI_BACKEND_URL="file://$tmp/state"
export PULUMI_CONFIG_PASSPHRASE=e2e-yaml
export PULUMI_SKIP_UPDATE_CHECK=1
mkdir -p "$tmp/state"

log=$tmp/step.log
# step NAME COMMAND...: run COMMAND with a time-out, print its time; on failure, its output.
step() {
    local name=$1 start rc
    shift
    start=$(date +%s.%N)
    timeout --kill-after=10 "$timeout_s" "$@" >"$log" 2>&1
    rc=$?
    printf 'e2e-yaml:   %-40s %6.1f s%s\n' "$name" "$(echo "$(date +%s.%N) - $start" | bc)" \
        "$([ $rc -eq 0 ] || echo "  FAILED (exit $rc$([ $rc -eq 124 ] && echo ", timed out after ${timeout_s}s"))")" >&2
    if [ $rc -ne 0 ]; then sed 's/^/    | /' "$log" >&2; fi
    return $rc
}
# expect NAME ACTUAL PATTERN: ACTUAL matches the extended regular expression PATTERN, whole.
expect() {
    if [[ $2 =~ ^$3$ ]]; then say "  $1 = $2"; else say "  $1 = '$2', expected /^$3\$/"; return 1; fi
}
output() { pulumi stack output "$1" 2>>"$log"; }

# The deploy cycle of the program in the current folder: up, preview --expect-no-changes, the
# outputs (NAME PATTERN pairs), destroy.
cycle() {
    step "stack init" pulumi stack init dev --non-interactive || return 1
    step "up" pulumi up --yes --non-interactive --skip-preview || return 1
    local ok=0
    step "preview --expect-no-changes" pulumi preview --expect-no-changes --non-interactive || ok=1
    while [ $# -gt 0 ]; do expect "output $1" "$(output "$1")" "$2" || ok=1; shift 2; done
    step "destroy" pulumi destroy --yes --non-interactive --skip-preview || return 1
    step "stack rm" pulumi stack rm dev --yes --non-interactive || return 1
    return $ok
}

component() {
    # The component package: a Node.js provider, run by the Node.js host through the package's own
    # @pulumi/pulumi/cmd/run-plugin (found through $tmp/node_modules).
    ln -s "$root/node_modules" "$tmp/node_modules"
    mkdir -p "$tmp/testpkg" "$tmp/component"
    # The test package both language hosts' tests add (one component, testpkg:index:Thing).
    cp -r "$root/tools/engine/testpkg/." "$tmp/testpkg"
    cd "$tmp/component" || return 1
    cat >Pulumi.yaml <<'YAML'
name: yaml-component
runtime: yaml
resources:
  thing:
    type: testpkg:index:Thing
    properties:
      prefix: hello
  other:
    type: testpkg:Thing
    properties:
      prefix: bye
outputs:
  thingName: ${thing.name}
  otherName: ${other.name}
YAML
    step "package add ../testpkg" pulumi package add ../testpkg || return 1
    local ok=0
    # What package add leaves for a YAML project: the package's source under packages: in
    # Pulumi.yaml (the program kept), and its lock file under sdks/.
    say "  Pulumi.yaml packages: $(sed -n '/^packages:/,$p' Pulumi.yaml | tr '\n' ' ')"
    grep -qx '  testpkg: \.\./testpkg' Pulumi.yaml || { say "  Pulumi.yaml lacks 'packages: testpkg: ../testpkg'"; ok=1; }
    grep -q '^  thing:' Pulumi.yaml || { say "  Pulumi.yaml lost the program"; ok=1; }
    local lock=sdks/testpkg/testpkg-0.1.0.yaml
    if [ -f "$lock" ]; then
        expect "lock file $lock" "$(tr '\n' ' ' <"$lock")" 'packageDeclarationVersion: 1 name: testpkg version: 0.1.0 ' || ok=1
    else
        say "  no $lock: $(find sdks 2>/dev/null | tr '\n' ' ')"; ok=1
    fi
    cycle thingName 'hello-thing' otherName 'bye-other' || ok=1
    return $ok
}

random() {
    mkdir -p "$tmp/random"
    cd "$tmp/random" || return 1
    cat >Pulumi.yaml <<'YAML'
name: yaml-random
runtime: yaml
resources:
  pet:
    type: random:RandomPet
    properties:
      prefix: dock
      length: 2
outputs:
  petName: ${pet.id}
YAML
    cycle petName 'dock-[a-z]+-[a-z]+' && return 0
    if ! pulumi package get-schema random >/dev/null 2>&1; then
        say "  (the toolchain's random plugin cannot serve its schema, which a YAML program needs: 'pulumi package get-schema random' fails)"
    fi
    return 1
}

failed=()
for s in "${scenarios[@]}"; do
    case "$s" in component | random) ;; *) die "unknown scenario $s (component, random)" ;; esac
    say "scenario $s"
    started=$SECONDS
    if ("$s"); then say "scenario $s: ok ($((SECONDS - started)) s)"; else say "scenario $s: FAILED ($((SECONDS - started)) s)"; failed+=("$s"); fi
done
[ ${#failed[@]} -eq 0 ] || die "failed: ${failed[*]}"
say "all passed: ${scenarios[*]}"
