#!/usr/bin/env bash
# The Pulumi toolchain for this project: the CLI, the Node.js language host and the resource
# plugins at the versions package.json's SDKs ask for.
#
#   scripts/engine.sh build     find a suitable toolchain, or build it (cached; prints progress)
#   eval "$(scripts/engine.sh env)"   put it on PATH and set PULUMI_HOME in this shell (builds if needed)
#   scripts/engine.sh check     say what is there, build nothing; exit 1 if something is missing
#   scripts/engine.sh test      run the Go tests of our own plugins (language hosts, command provider, docker schema)
#
# A `pulumi` of at least the SDK's version on PATH is used as it is (it downloads its plugins).
# Otherwise everything is built with Go from the module proxy (tools/engine: cli/ for the CLI,
# plugins/ for the Node.js language host and the docker, random and command plugins, shims/ for the
# launcher of dynamic providers, kubernetes/ for the Kubernetes provider, python/ and yaml/ for the
# language hosts of Python and YAML programs that use dockyard as a component package) into a versioned
# folder outside the repository, $DOCKYARD_ENGINE_CACHE (default ~/.cache/dockyard-engine), so
# only the first run on a machine builds: a cold build took 17 minutes on 2 cores, a warm
# one seconds (the Kubernetes provider alone took 64 minutes cold, with other builds keeping the
# load average near 20; its link after a change of the plugins, seconds). The plugins are installed into a Pulumi home inside that folder, so nothing tries
# to download them.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
engine="$root/tools/engine"
say() { printf 'engine: %s\n' "$*" >&2; }
die() { printf 'engine: %s\n' "$*" >&2; exit 1; }

sdk_version() { # the version of an installed npm package, from node_modules
    local file="$root/node_modules/$1/package.json"
    [ -f "$file" ] || die "$1 is not installed: run 'npm ci' in $root first."
    sed -n 's/^ *"version": *"v\{0,1\}\([^"]*\)".*/\1/p' "$file" | head -n 1
}
go_require() { # the version a go.mod requires a module at (in a require block, or `require <module> <version>`)
    sed -n "s#^[[:space:]]*\(require[[:space:]]\{1,\}\)\{0,1\}$2 \(v[^ ]*\).*#\2#p" "$1" | head -n 1
}

cli_version=$(go_require "$engine/cli/go.mod" github.com/pulumi/pulumi/pkg/v3)
declare -A plugins=(
    [docker]=$(sdk_version @pulumi/docker)
    [random]=$(sdk_version @pulumi/random)
    [command]=$(sdk_version @pulumi/command)
    [kubernetes]=$(sdk_version @pulumi/kubernetes)
)
# The folder of the Go module that builds a plugin (tools/engine/<module>), and the variable its
# version is linked into.
plugin_module() { if [ "$1" = kubernetes ]; then echo kubernetes; else echo plugins; fi; }
plugin_version_var() {
    if [ "$1" = kubernetes ]; then echo github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version.Version; else echo main.version; fi
}
min_cli=$(sdk_version @pulumi/pulumi)
# The language hosts of other languages: each a Go module tools/engine/<lang> whose
# cmd/pulumi-language-<lang> goes beside the CLI, with the launchers in its bin/ (if any).
language_hosts=()
for lang in python yaml go; do [ -d "$engine/$lang/cmd/pulumi-language-$lang" ] && language_hosts+=("$lang"); done

# A version that changes whenever what is built changes: the Go sources, the module files and the
# SDK versions the plugins answer for.
cache_key() {
    {
        go version 2>/dev/null || echo no-go
        echo "$cli_version" "${plugins[@]}"
        (cd "$engine" && find . -path ./plugins/.upstream -prune -o -name '*-embed.json' -prune -o -name '.generate.*' -prune -o -type f -print | LC_ALL=C sort | xargs sha256sum)
        sha256sum < "$0" # the script's contents, not the path it was called by
    } | sha256sum | cut -c1-16
}

version_ge() { [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n 1)" = "$2" ]; }

system_pulumi() { # a pulumi on PATH that is new enough, not one of ours
    local p v
    p=$(command -v pulumi 2>/dev/null) || return 1
    case "$p" in "${DOCKYARD_ENGINE_CACHE:-$HOME/.cache/dockyard-engine}"/*) return 1 ;; esac
    v=$(pulumi version 2>/dev/null | sed 's/^v//') || return 1
    version_ge "$v" "$min_cli" && echo "$p"
}

need_go() {
    command -v go >/dev/null 2>&1 || die "Go is needed to build the Pulumi toolchain (no binary can be downloaded here): install Go 1.25 or later, or put a pulumi >= $min_cli on PATH."
    local v; v=$(go env GOVERSION | sed 's/^go//')
    version_ge "$v" 1.25 || die "Go $v is too old to build the toolchain: Go 1.25 or later is needed."
}

cache_base=${DOCKYARD_ENGINE_CACHE:-$HOME/.cache/dockyard-engine}

locate() { # sets dir, bin (what goes on PATH: the CLI and the language host), providers, home
    dir="$cache_base/$(cache_key)"
    bin="$dir/bin"
    providers="$dir/providers"
    home="$dir/home"
}

complete() { # is the built toolchain in $dir complete?
    [ -x "$bin/pulumi" ] && [ -x "$bin/pulumi-language-nodejs" ] || return 1
    local shim
    for shim in "$engine"/shims/*; do [ -x "$bin/$(basename "$shim")" ] || return 1; done
    local lang
    for lang in "${language_hosts[@]}"; do [ -x "$bin/pulumi-language-$lang" ] || return 1; done
    local name
    for name in "${!plugins[@]}"; do
        [ -x "$home/plugins/resource-$name-v${plugins[$name]}/pulumi-resource-$name" ] || return 1
    done
}

# The Kubernetes provider's main package embeds its schema, with the version set, as
# schema-embed.json (and terraform-mapping-embed.json), which its `go generate` writes and its
# module does not hold: run that same generate.go (it re-serializes the schema with "version" set)
# on the module's schema.json, next to our copy of the main package.
generate_kubernetes_schema() {
    local version=$1 module cmd src
    module=$(go_require "$engine/kubernetes/go.mod" github.com/pulumi/pulumi-kubernetes/provider/v4)
    cmd="$engine/kubernetes/cmd/pulumi-resource-kubernetes"
    src=$(cd "$engine/kubernetes" && go mod download -json "github.com/pulumi/pulumi-kubernetes/provider/v4@$module" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
    [ -f "$src/cmd/pulumi-resource-kubernetes/schema.json" ] || die "no schema.json in github.com/pulumi/pulumi-kubernetes/provider/v4@$module"
    rm -f "$cmd/schema-embed.json" "$cmd/terraform-mapping-embed.json"
    # generate.go reads ./schema.json and ./terraform-mapping.json: run it in a folder holding
    # them, inside our module (for its dependencies).
    local gen f
    gen=$(mktemp -d "$engine/kubernetes/.generate.XXXXXX")
    for f in generate.go schema.json terraform-mapping.json; do
        cp "$src/cmd/pulumi-resource-kubernetes/$f" "$gen/$f"
    done
    chmod -R u+w "$gen"
    (cd "$gen" && VERSION=$version go run generate.go) || { rm -rf "$gen"; die "generating the Kubernetes provider's schema failed"; }
    mv "$gen/schema-embed.json" "$gen/terraform-mapping-embed.json" "$cmd/"
    rm -rf "$gen"
}

# The Terraform providers declare module paths (terraform-providers/...) other than the ones they
# are served under, and keep their constructors in internal packages: copy each upstream module
# next to plugins/go.mod (its replace directives point there) and add the shim that exposes it.
prepare_upstream() {
    local name source version src
    while read -r name source; do
        [ -n "$name" ] && [ "${name#\#}" = "$name" ] || continue
        version=$(go_require "$engine/plugins/go.mod" "github.com/terraform-providers/terraform-provider-$name")
        [ -n "$version" ] || die "plugins/go.mod requires no terraform-provider-$name"
        src=$(cd /tmp && GOFLAGS=-mod=mod go mod download -json "$source@$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
        [ -d "$src" ] || die "could not download $source@$version from the Go module proxy"
        rm -rf "$engine/plugins/.upstream/$name"
        mkdir -p "$engine/plugins/.upstream"
        cp -r "$src" "$engine/plugins/.upstream/$name"
        chmod -R u+w "$engine/plugins/.upstream/$name"
        mkdir -p "$engine/plugins/.upstream/$name/shim"
        cp "$engine/plugins/upstream/$name/shim.go" "$engine/plugins/.upstream/$name/shim/"
    done < "$engine/plugins/upstream/sources"
}

build() {
    locate
    complete && return 0
    need_go
    local started=$SECONDS tmp
    mkdir -p "$bin" "$providers" "$home"
    tmp=$(mktemp -d "$dir/tmp.XXXXXX")
    # The same flags for every binary, so the Go build cache serves a rebuild.
    local flags=(-trimpath -ldflags)
    # The CLI has a cache of its own, keyed on its module only: a change to the plugins does not
    # rebuild it.
    local cli_dir
    cli_dir="$cache_base/cli-$( { go version; cat "$engine/cli/go.mod" "$engine/cli/go.sum"; } | sha256sum | cut -c1-16)"
    if [ ! -x "$cli_dir/pulumi" ]; then
        say "building the Pulumi CLI $cli_version (cold: ~12 min on 2 cores) ..."
        mkdir -p "$cli_dir"
        (cd "$engine/cli" && go build "${flags[@]}" "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$cli_version" \
            -o "$tmp/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi) || die "building the Pulumi CLI failed (see above)"
        mv "$tmp/pulumi" "$cli_dir/pulumi"
    fi
    ln -f "$cli_dir/pulumi" "$bin/pulumi" 2>/dev/null || cp "$cli_dir/pulumi" "$bin/pulumi"
    # The launcher the CLI's distribution keeps beside it for dynamic providers.
    cp "$engine"/shims/* "$bin/"
    say "preparing the upstream Terraform providers ..."
    prepare_upstream
    # The language host goes beside the CLI, which looks there first; the resource plugins are
    # installed into the Pulumi home (a plugin found on PATH draws a warning on every run).
    local name exe version out
    local module var
    for name in language-nodejs "${!plugins[@]}"; do
        exe=pulumi-resource-$name version=${plugins[$name]:-${cli_version#v}} out=$providers
        [ "$name" = language-nodejs ] && exe=pulumi-language-nodejs out=$bin
        [ -x "$out/$exe" ] && continue
        module=$(plugin_module "$name") var=$(plugin_version_var "$name")
        say "building $exe $version ..."
        [ "$name" != kubernetes ] || generate_kubernetes_schema "$version"
        (cd "$engine/$module" && go build "${flags[@]}" "-s -w -X $var=$version" -o "$tmp/$exe" "./cmd/$exe") \
            || die "building $exe failed (see above)"
        mv "$tmp/$exe" "$out/$exe"
    done
    for name in "${language_hosts[@]}"; do
        exe=pulumi-language-$name
        if [ ! -x "$bin/$exe" ]; then
            say "building $exe ..."
            (cd "$engine/$name" && go build "${flags[@]}" "-s -w -X main.version=${cli_version#v}" -o "$tmp/$exe" "./cmd/$exe") \
                || die "building $exe failed (see above)"
            mv "$tmp/$exe" "$bin/$exe"
        fi
        if [ -d "$engine/$name/bin" ]; then cp "$engine/$name/bin"/* "$bin/"; fi
    done
    for name in "${!plugins[@]}"; do
        say "installing plugin $name ${plugins[$name]} into $home ..."
        PULUMI_HOME="$home" PULUMI_SKIP_UPDATE_CHECK=1 "$bin/pulumi" plugin install resource "$name" "${plugins[$name]}" \
            --file "$providers/pulumi-resource-$name" >/dev/null || die "installing the $name plugin failed"
    done
    rm -rf "$tmp"
    complete || die "the toolchain in $dir is incomplete after the build"
    say "toolchain ready in $dir ($((SECONDS - started)) s)"
}

env_lines() {
    # Plugins are never downloaded: the ones this project needs are built and installed above.
    echo "export PULUMI_SKIP_UPDATE_CHECK=1"
    if system_pulumi >/dev/null; then
        return 0
    fi
    locate
    echo "export PATH=\"$bin:\$PATH\""
    echo "export PULUMI_HOME=\"$home\""
    echo "export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true"
}

case "${1:-}" in
    build)
        if p=$(system_pulumi); then say "using $p ($(pulumi version))"; exit 0; fi
        build ;;
    env)
        system_pulumi >/dev/null || build
        env_lines ;;
    check)
        if p=$(system_pulumi); then say "using $p ($(pulumi version))"; exit 0; fi
        locate
        if complete; then say "toolchain ready in $dir"; exit 0; fi
        say "no pulumi >= $min_cli on PATH and no built toolchain in $dir: run scripts/engine.sh build"
        exit 1 ;;
    test)
        need_go
        [ -d "$engine/plugins/.upstream/docker" ] && [ -d "$engine/plugins/.upstream/random" ] || prepare_upstream
        (cd "$engine/plugins" && go test -trimpath ./cmd/pulumi-language-nodejs ./cmd/pulumi-resource-command ./cmd/pulumi-resource-docker)
        for lang in "${language_hosts[@]}"; do (cd "$engine/$lang" && go test -trimpath ./...); done
        (cd "$engine/langkit" && go test -trimpath ./...) ;;
    *)
        sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//' >&2
        exit 2 ;;
esac
