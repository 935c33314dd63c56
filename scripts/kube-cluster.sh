#!/usr/bin/env bash
# A real Kubernetes API server for the e2e tests, on loopback only: etcd, kube-apiserver,
# kube-controller-manager, kube-scheduler and kwok (one fake node whose pods become Running and
# Ready, and whose Job pods complete, without containers), all built with Go from the module proxy.
#
#   scripts/kube-cluster.sh build    build the binaries (cached; prints progress and times)
#   scripts/kube-cluster.sh start    start the cluster (builds if needed), wait until it is ready
#   scripts/kube-cluster.sh stop     stop it (by pid, then any process still running from its state dir)
#   eval "$(scripts/kube-cluster.sh env)"   KUBECONFIG for the running cluster
#   scripts/kube-cluster.sh status   what runs, and whether the API server is ready
#
# The binaries are built from tools/kube/{kubernetes,etcd,kwok} (one Go module each: k8s.io/kubernetes
# v1.37.2, go.etcd.io/etcd/server/v3 v3.7.3, sigs.k8s.io/kwok v0.8.0) into versioned folders of
# $DOCKYARD_ENGINE_CACHE (default ~/.cache/dockyard-engine), kube-<module>-<key>, the key made of the
# Go version, the module's go.mod/go.sum and the build flags, so only the first run on a machine
# builds. Figures on this 2-core machine, cold (empty Go build cache), measured while other builds
# and test suites kept the load average near 20: the control plane (kube-apiserver,
# kube-controller-manager, kube-scheduler in one `go build`) 62 min, etcd 4.6 min, kwok 14 min;
# relinking after a change of flags 2 min; warm (all cached) under a second. `start` takes 15-40 s.
#
# The cluster's state (certificates, etcd data, kubeconfig, logs, pids) is in $DOCKYARD_KUBE_STATE
# (default /tmp/dockyard-kube), outside the repository; `start` stops whatever runs from it and
# starts afresh. Everything listens on 127.0.0.1: the API server on $DOCKYARD_KUBE_PORT (16443),
# etcd on 12379/12380, kwok on 20250; the controller manager and the scheduler serve nothing.
#
# What the stacks need from it: the controller manager runs the workload controllers (Deployments,
# StatefulSets, Jobs, DaemonSets), the endpoint controllers (Pulumi waits for a Service's endpoints),
# the namespace controller (destroy) and its built-in hostPath provisioner, which the default
# StorageClass `standard` names, so claims bind (to directories under /tmp/hostpath_pv, which it
# removes with the volume). No controller gives a LoadBalancer Service an address here: stacks use
# NodePort. Nothing answers on a node port either (no kube-proxy): tests check the API objects.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
tools="$root/tools/kube"
say() { printf 'kube: %s\n' "$*" >&2; }
die() { printf 'kube: %s\n' "$*" >&2; exit 1; }

cache_base=${DOCKYARD_ENGINE_CACHE:-$HOME/.cache/dockyard-engine}
state=${DOCKYARD_KUBE_STATE:-/tmp/dockyard-kube}
api_port=${DOCKYARD_KUBE_PORT:-16443}
etcd_port=12379
etcd_peer_port=12380
kwok_port=20250
node=kwok-node-0

kube_version=v1.37.2
# The version the binaries report (hack/lib/version.sh sets the same variables): without it the API
# server says v0.0.0-master and clients cannot tell which API it serves.
kube_ldflags() {
    local pkg var out="-s -w"
    for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
        for var in "gitVersion=$kube_version" "gitMajor=1" "gitMinor=37" "gitTreeState=clean"; do
            out+=" -X $pkg.$var"
        done
    done
    echo "$out"
}

# module -> "binary=package ..." and the linker flags each is built with
declare -A packages=(
    [kubernetes]="kube-apiserver=k8s.io/kubernetes/cmd/kube-apiserver kube-controller-manager=k8s.io/kubernetes/cmd/kube-controller-manager kube-scheduler=k8s.io/kubernetes/cmd/kube-scheduler"
    [etcd]="etcd=go.etcd.io/etcd/server/v3"
    [kwok]="kwok=sigs.k8s.io/kwok/cmd/kwok"
)
ldflags_of() { if [ "$1" = kubernetes ]; then kube_ldflags; else echo "-s -w"; fi; }

module_dir() { # the folder a module's binaries are cached in
    local key
    key=$( { go version 2>/dev/null || echo no-go; cat "$tools/$1/go.mod" "$tools/$1/go.sum"; ldflags_of "$1"; echo "${packages[$1]}"; } | sha256sum | cut -c1-16)
    echo "$cache_base/kube-$1-$key"
}

built() { # are all of a module's binaries (and, for kwok, its stages) in place?
    local dir=$1 entry
    for entry in ${packages[$2]}; do [ -x "$dir/${entry%%=*}" ] || return 1; done
    [ "$2" != kwok ] || [ -f "$dir/kwok-stages.yaml" ]
}

build_module() {
    local name=$1 dir tmp entry started=$SECONDS
    dir=$(module_dir "$name")
    built "$dir" "$name" && return 0
    command -v go >/dev/null 2>&1 || die "Go is needed to build the test cluster (no binary can be downloaded here)"
    mkdir -p "$dir"
    tmp=$(mktemp -d "$dir/tmp.XXXXXX")
    for entry in ${packages[$name]}; do
        [ -x "$dir/${entry%%=*}" ] && continue
        say "building ${entry%%=*} (${entry#*=}) ..."
        (cd "$tools/$name" && go build -trimpath -ldflags "$(ldflags_of "$name")" -o "$tmp/${entry%%=*}" "${entry#*=}") \
            || die "building ${entry%%=*} from tools/kube/$name failed (see above)"
        mv "$tmp/${entry%%=*}" "$dir/"
    done
    if [ "$name" = kwok ]; then
        # kwok does nothing without stages (what happens to a node or pod, and when). These are the
        # ones kwokctl configures by default, taken from the kwok module itself: a node becomes Ready
        # and keeps its lease; a pod becomes Ready, a Job's pod completes, a deleted pod goes away.
        local src version
        version=$(sed -n 's#^[[:space:]]*\(require \)\{0,1\}sigs.k8s.io/kwok \(v[^ ]*\).*#\2#p' "$tools/kwok/go.mod")
        src=$(cd "$tools/kwok" && go mod download -json "sigs.k8s.io/kwok@$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p') || true
        [ -n "$version" ] && [ -d "$src/kustomize/stage" ] || die "no source of sigs.k8s.io/kwok@$version with its stages"
        local f
        for f in node/fast/node-initialize node/heartbeat-with-lease/node-heartbeat-with-lease pod/fast/pod-ready pod/fast/pod-complete pod/fast/pod-delete; do
            echo "---"; cat "$src/kustomize/stage/$f.yaml"
        done > "$tmp/kwok-stages.yaml"
        mv "$tmp/kwok-stages.yaml" "$dir/"
    fi
    rm -rf "$tmp"
    built "$dir" "$name" || die "$dir is incomplete after the build"
    say "$name ready in $dir ($((SECONDS - started)) s)"
}

build() {
    local started=$SECONDS name
    for name in etcd kwok kubernetes; do build_module "$name"; done
    say "binaries ready ($((SECONDS - started)) s)"
}

bin_of() { # the path of a built binary
    local name
    for name in "${!packages[@]}"; do
        case " ${packages[$name]} " in *" $1="*) echo "$(module_dir "$name")/$1"; return 0 ;; esac
    done
    die "no binary $1"
}

# --- certificates -------------------------------------------------------------------------------

# One CA; a serving certificate for the API server (loopback and the in-cluster names); one client
# certificate in system:masters that the controllers, kwok and the tests use (a throw-away
# cluster: per-component identities would test RBAC bootstrap, not dockyard); the service account
# signing key.
make_pki() {
    local pki=$state/pki
    mkdir -p "$pki"
    (
        cd "$pki"
        openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 30 -subj "/CN=dockyard-e2e-ca" 2>/dev/null
        cat > serving.ext <<'EOF'
subjectAltName = IP:127.0.0.1, IP:10.96.0.1, DNS:localhost, DNS:kubernetes, DNS:kubernetes.default, DNS:kubernetes.default.svc, DNS:kubernetes.default.svc.cluster.local
extendedKeyUsage = serverAuth
keyUsage = digitalSignature, keyEncipherment
EOF
        printf 'extendedKeyUsage = clientAuth\nkeyUsage = digitalSignature, keyEncipherment\n' > client.ext
        openssl req -newkey rsa:2048 -nodes -keyout apiserver.key -out apiserver.csr -subj "/CN=kube-apiserver" 2>/dev/null
        openssl x509 -req -in apiserver.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out apiserver.crt -days 30 -extfile serving.ext 2>/dev/null
        openssl req -newkey rsa:2048 -nodes -keyout admin.key -out admin.csr -subj "/O=system:masters/CN=dockyard-e2e-admin" 2>/dev/null
        openssl x509 -req -in admin.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out admin.crt -days 30 -extfile client.ext 2>/dev/null
        openssl genrsa -out sa.key 2048 2>/dev/null
        openssl rsa -in sa.key -pubout -out sa.pub 2>/dev/null
    ) || die "generating certificates with openssl failed"
}

write_kubeconfig() {
    local pki=$state/pki b64="base64 -w0"
    cat > "$state/kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: dockyard-e2e
  cluster:
    server: https://127.0.0.1:$api_port
    certificate-authority-data: $($b64 < "$pki/ca.crt")
users:
- name: dockyard-e2e-admin
  user:
    client-certificate-data: $($b64 < "$pki/admin.crt")
    client-key-data: $($b64 < "$pki/admin.key")
contexts:
- name: dockyard-e2e
  context: { cluster: dockyard-e2e, user: dockyard-e2e-admin }
current-context: dockyard-e2e
EOF
    chmod 600 "$state/kubeconfig"
}

# --- processes ------------------------------------------------------------------------------------

launch() { # name binary args...: started in the background, its pid in pids/<name>, output in logs/
    local name=$1; shift
    mkdir -p "$state/pids" "$state/logs"
    setsid "$@" > "$state/logs/$name.log" 2>&1 < /dev/null &
    echo $! > "$state/pids/$name"
}

alive() { [ -f "$state/pids/$1" ] && kill -0 "$(cat "$state/pids/$1")" 2>/dev/null; }

# Waits up to $2 seconds for the command after it to succeed; fails naming $1 and the tail of
# the logs of what died.
wait_until() {
    local what=$1 limit=$2 end=$((SECONDS + $2)); shift 2
    until "$@" >/dev/null 2>&1; do
        local p
        for p in "$state"/pids/*; do
            [ -e "$p" ] || continue
            kill -0 "$(cat "$p")" 2>/dev/null || { tail -n 30 "$state/logs/$(basename "$p").log" >&2; die "$(basename "$p") exited while waiting for $what"; }
        done
        [ $SECONDS -lt $end ] || die "$what not within $limit s (logs: $state/logs)"
        sleep 1
    done
}

api() { # method path [body]: the API server as the admin
    local args=(-sS --fail-with-body --max-time 20 --cacert "$state/pki/ca.crt" --cert "$state/pki/admin.crt" --key "$state/pki/admin.key" -X "$1")
    [ $# -lt 3 ] || args+=(-H 'Content-Type: application/json' --data-binary "$3")
    curl "${args[@]}" "https://127.0.0.1:$api_port$2"
}

# Processes still running from the state dir: by pid file, then any whose command line names the
# state dir (every one of ours does), in case a pid file was lost.
our_pids() {
    local p pid
    for p in "$state"/pids/*; do [ -e "$p" ] && cat "$p"; done
    for p in /proc/[0-9]*; do
        pid=${p#/proc/}
        tr '\0' ' ' 2>/dev/null < "$p/cmdline" | grep -qF -- "$state/" && echo "$pid"
    done
    true
}

any_alive() { local pid; for pid in "$@"; do kill -0 "$pid" 2>/dev/null && return 0; done; return 1; }

stop() {
    [ -d "$state" ] || return 0
    local pids end
    pids=$(our_pids | sort -u | while read -r pid; do [ "$pid" != $$ ] && kill -0 "$pid" 2>/dev/null && echo "$pid"; done || true)
    if [ -n "$pids" ]; then
        # shellcheck disable=SC2086
        kill -TERM $pids 2>/dev/null || true
        end=$((SECONDS + 20))
        while [ $SECONDS -lt $end ] && any_alive $pids; do sleep 0.5; done
        # shellcheck disable=SC2086
        kill -KILL $pids 2>/dev/null || true
    fi
    rm -rf "$state/pids"
    say "stopped${pids:+ (pids $(echo $pids))}"
}

start() {
    build
    stop
    local started=$SECONDS
    rm -rf "$state"
    mkdir -p "$state"
    make_pki
    write_kubeconfig
    local pki=$state/pki

    launch etcd "$(bin_of etcd)" --name dockyard-e2e --data-dir "$state/etcd" \
        --listen-client-urls "http://127.0.0.1:$etcd_port" --advertise-client-urls "http://127.0.0.1:$etcd_port" \
        --listen-peer-urls "http://127.0.0.1:$etcd_peer_port" --initial-advertise-peer-urls "http://127.0.0.1:$etcd_peer_port" \
        --initial-cluster "dockyard-e2e=http://127.0.0.1:$etcd_peer_port" --unsafe-no-fsync
    wait_until "etcd" 60 curl -sf --max-time 2 "http://127.0.0.1:$etcd_port/health"

    # The endpoint reconciler (the `kubernetes` Service's endpoints) refuses a loopback address, and
    # nothing here reaches the API server through that Service: none.
    launch kube-apiserver "$(bin_of kube-apiserver)" --bind-address 127.0.0.1 --advertise-address 127.0.0.1 \
        --secure-port "$api_port" --etcd-servers "http://127.0.0.1:$etcd_port" \
        --tls-cert-file "$pki/apiserver.crt" --tls-private-key-file "$pki/apiserver.key" --client-ca-file "$pki/ca.crt" \
        --service-account-issuer https://kubernetes.default.svc.cluster.local \
        --service-account-key-file "$pki/sa.pub" --service-account-signing-key-file "$pki/sa.key" \
        --service-cluster-ip-range 10.96.0.0/16 --authorization-mode Node,RBAC --allow-privileged=true \
        --profiling=false --cert-dir "$state/pki/generated" --endpoint-reconciler-type none
    wait_until "the API server's /readyz" 120 api GET /readyz

    launch kube-controller-manager "$(bin_of kube-controller-manager)" --kubeconfig "$state/kubeconfig" \
        --secure-port 0 --leader-elect=false --root-ca-file "$pki/ca.crt" --service-account-private-key-file "$pki/sa.key" \
        --enable-hostpath-provisioner --use-service-account-credentials=false --profiling=false \
        --node-monitor-grace-period 60s
    launch kube-scheduler "$(bin_of kube-scheduler)" --kubeconfig "$state/kubeconfig" \
        --secure-port 0 --leader-elect=false --profiling=false
    launch kwok "$(bin_of kwok)" --config "$(module_dir kwok)/kwok-stages.yaml" --kubeconfig "$state/kubeconfig" \
        --manage-nodes-with-annotation-selector kwok.x-k8s.io/node=fake --node-ip 127.0.0.1 \
        --node-port "$kwok_port" --server-address "127.0.0.1:$kwok_port" --node-lease-duration-seconds 40

    # The fake node, with room for the prod stack's requests; kwok makes it Ready.
    api POST /api/v1/nodes "$(cat <<EOF
{"apiVersion":"v1","kind":"Node","metadata":{"name":"$node",
 "annotations":{"kwok.x-k8s.io/node":"fake","node.alpha.kubernetes.io/ttl":"0"},
 "labels":{"kubernetes.io/hostname":"$node","kubernetes.io/os":"linux","kubernetes.io/arch":"amd64","type":"kwok"}},
 "status":{"capacity":{"cpu":"32","memory":"256Gi","pods":"110","ephemeral-storage":"500Gi"},
  "allocatable":{"cpu":"32","memory":"256Gi","pods":"110","ephemeral-storage":"500Gi"}}}
EOF
)" >/dev/null
    api POST /apis/storage.k8s.io/v1/storageclasses '{"apiVersion":"storage.k8s.io/v1","kind":"StorageClass",
 "metadata":{"name":"standard","annotations":{"storageclass.kubernetes.io/is-default-class":"true"}},
 "provisioner":"kubernetes.io/host-path","reclaimPolicy":"Delete","volumeBindingMode":"Immediate"}' >/dev/null
    node_ready() { api GET "/api/v1/nodes/$node" | tr -d ' \n' | grep -q '"type":"Ready","status":"True"'; }
    wait_until "node $node Ready" 60 node_ready
    # The controller manager is up when it has given the default namespace its service account.
    wait_until "the controller manager" 60 api GET /api/v1/namespaces/default/serviceaccounts/default
    say "cluster ready in $((SECONDS - started)) s: KUBECONFIG=$state/kubeconfig (API https://127.0.0.1:$api_port, logs $state/logs)"
}

status() {
    local name
    for name in etcd kube-apiserver kube-controller-manager kube-scheduler kwok; do
        if alive "$name"; then echo "$name: running (pid $(cat "$state/pids/$name"))"; else echo "$name: not running"; fi
    done
    if [ -f "$state/kubeconfig" ] && api GET /readyz >/dev/null 2>&1; then echo "API server: ready at https://127.0.0.1:$api_port"; else echo "API server: not ready"; return 1; fi
}

case "${1:-}" in
    build) build ;;
    start) start ;;
    stop) stop ;;
    env) echo "export KUBECONFIG=\"$state/kubeconfig\"" ;;
    status) status ;;
    *)
        sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//' >&2
        exit 2 ;;
esac
