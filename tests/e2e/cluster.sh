#!/usr/bin/env bash
# The local single-node Kubernetes 1.20.2 that every E2E test, demo and benchmark of KubeExpose runs against.
#
#   cluster.sh up              build (cached) and start everything; no-op when already up and healthy
#   cluster.sh down            stop every process it started (by pid) and remove what it created
#   cluster.sh status          one line per component
#   cluster.sh env             `export NAME=VALUE` lines: KUBECONFIG, KUBEEXPOSE_VIEWER_KUBECONFIG, addresses
#   cluster.sh outside -- CMD  run CMD in the kx-outside network namespace (a client outside the cluster)
#   cluster.sh lb on|off       LoadBalancer provisioning on (default) or off (new LoadBalancers stay Pending)
#   cluster.sh build           only build the Kubernetes binaries and the local images
#
# Everything it uses lives on loopback or on interfaces and namespaces it creates (see tests/e2e/README.md):
# the node kx-node has InternalIP 10.211.0.10 (veth kx-int0) and ExternalIP 10.211.1.10 (veth kx-ext0, whose
# peer is in the kx-outside namespace as 10.211.1.100); pods are on bridge kx-br0 (10.213.0.0/16); Services
# (10.212.0.0/16) and the LoadBalancer pool (10.214.0.0/24) are routed to that bridge, so no cluster address
# ever leaves the machine.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
STATE=/var/lib/kubeexpose-cluster
RUN=/run/kubeexpose-cluster
LOGS=$STATE/logs
PIDS=$STATE/pids
PKI=$STATE/pki
CONTAINERD_SOCK=$RUN/containerd.sock

NODE_NAME=kx-node
INTERNAL_IP=10.211.0.10
EXTERNAL_IP=10.211.1.10
OUTSIDE_IP=10.211.1.100
POD_CIDR=10.213.0.0/16
BRIDGE_IP=10.213.0.1
SERVICE_CIDR=10.212.0.0/16
LB_POOL=10.214.0.0/24
API_PORT=16443
API_SERVER=https://127.0.0.1:$API_PORT
ETCD_PORT=12379
ETCD_PEER_PORT=12380
INT_IF=kx-int0
EXT_IF=kx-ext0
OUT_IF=kx-out0
BRIDGE=kx-br0
OUTSIDE_NS=kx-outside
INGRESS_CLASS=kx-nginx
KUBECTL=${KUBECTL:-/usr/bin/kubectl}

# Started in this order, stopped in the reverse one.
COMPONENTS=(etcd containerd kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy nginx ingress-controller lb-controller)
# Host sysctls the cluster changes (directly or through kubelet/kube-proxy); saved at up, restored at down.
SYSCTLS=(net/ipv4/ip_forward net/bridge/bridge-nf-call-iptables net/bridge/bridge-nf-call-ip6tables
         net/ipv4/conf/all/route_localnet vm/overcommit_memory vm/panic_on_oom kernel/panic kernel/panic_on_oops
         kernel/keys/root_maxkeys kernel/keys/root_maxbytes)

T0=$SECONDS
log() { printf '[cluster %(%H:%M:%S)T +%3ds] %s\n' -1 "$((SECONDS - T0))" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# --- processes (each one tracked by pid file, verified by executable before any signal) ---------------------------

pid_of() { # NAME -> pid, if that process is ours and alive
    local name=$1 pid exe
    [ -s "$PIDS/$name.pid" ] || return 1
    pid=$(cat "$PIDS/$name.pid")
    [ -d "/proc/$pid" ] || return 1
    exe=$(readlink "/proc/$pid/exe" 2>/dev/null) || return 1
    [ "$exe" = "$(cat "$PIDS/$name.exe")" ] || return 1
    if [ -s "$PIDS/$name.marker" ]; then
        tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$(cat "$PIDS/$name.marker")" || return 1
    fi
    echo "$pid"
}
alive() { pid_of "$1" >/dev/null; }

start() { # NAME [--marker TEXT] CMD ARGS...
    local name=$1 marker=""; shift
    if [ "$1" = --marker ]; then marker=$2; shift 2; fi
    local exe
    exe=$(readlink -f "$(command -v "$1")")
    printf '%s' "$exe" >"$PIDS/$name.exe"
    printf '%s' "$marker" >"$PIDS/$name.marker"
    # setsid: the components must outlive the shell (and test runners that kill their process tree).
    setsid "$@" </dev/null >>"$LOGS/$name.log" 2>&1 &
    echo $! >"$PIDS/$name.pid"
}

# A process that exited but is not reaped yet (a zombie: init reaps our orphans when it gets to it) counts as gone.
running() { [ -e "/proc/$1/stat" ] && [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]; }

stop() { # NAME: SIGTERM, then SIGKILL after 10 s
    local name=$1 pid i
    if pid=$(pid_of "$name"); then
        kill -TERM "$pid" 2>/dev/null || true
        for i in $(seq 100); do running "$pid" || break; sleep 0.1; done
        if running "$pid"; then kill -KILL "$pid" 2>/dev/null || true; sleep 0.2; fi
        log "stopped $name (pid $pid)"
    fi
    rm -f "$PIDS/$name.pid" "$PIDS/$name.exe" "$PIDS/$name.marker"
}

fail_component() { # NAME MESSAGE: show the component's log tail and fail
    local name=$1; shift
    log "ERROR: $name: $*"
    if [ -s "$LOGS/$name.log" ]; then
        echo "----- last lines of $LOGS/$name.log -----" >&2
        tail -n 40 "$LOGS/$name.log" >&2
        echo "-----" >&2
    fi
    if [ "${KX_KEEP_ON_FAILURE:-0}" != 1 ]; then
        log "stopping what was started (set KX_KEEP_ON_FAILURE=1 to keep it for debugging)"
        do_down >/dev/null 2>&1 || true
    fi
    exit 1
}

wait_until() { # NAME SECONDS DESCRIPTION CMD...: poll CMD, fail with NAME's log when NAME dies or time runs out
    local name=$1 timeout=$2 what=$3; shift 3
    local deadline=$((SECONDS + timeout))
    until "$@" >/dev/null 2>&1; do
        alive "$name" || fail_component "$name" "exited while waiting for $what"
        [ $SECONDS -lt $deadline ] || fail_component "$name" "no $what after $timeout s"
        sleep 0.5
    done
}

k() { "$KUBECTL" --kubeconfig "$STATE/admin.kubeconfig" --request-timeout=20s "$@"; }

# --- prerequisites -------------------------------------------------------------------------------------------------

ensure_packages() {
    local missing=() pkg bin
    for pair in etcd-server:/usr/bin/etcd containerd:/usr/bin/containerd runc:/usr/sbin/runc \
                containernetworking-plugins:/usr/lib/cni/bridge iptables:/usr/sbin/iptables conntrack:/usr/sbin/conntrack \
                busybox-static:/bin/busybox nginx-light:/usr/sbin/nginx python3:/usr/bin/python3 openssl:/usr/bin/openssl \
                curl:/usr/bin/curl iproute2:/usr/sbin/ip; do
        pkg=${pair%%:*}; bin=${pair#*:}
        [ -x "$bin" ] || missing+=("$pkg")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        log "installing ${missing[*]}"
        # policy-rc.d keeps Debian from starting nginx/etcd/containerd as system services on install.
        local policy_added=0
        if [ ! -e /usr/sbin/policy-rc.d ]; then printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; policy_added=1; fi
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1 \
            || { apt-get update -qq >/dev/null 2>&1; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }
        [ $policy_added = 0 ] || rm -f /usr/sbin/policy-rc.d
    fi
    [ -x "$KUBECTL" ] || die "kubectl not found at $KUBECTL"
}

build() {
    BIN=$("$HERE/build-kubernetes.sh")
    mapfile -t IMAGES < <("$HERE/build-images.sh")
}

# --- network -------------------------------------------------------------------------------------------------------

net_up() {
    mkdir -p "$STATE"
    if [ ! -e "$STATE/saved-sysctls" ]; then
        local s
        for s in "${SYSCTLS[@]}"; do [ -e "/proc/sys/$s" ] && echo "$s=$(cat "/proc/sys/$s")"; done >"$STATE/saved-sysctls"
    fi
    echo 1 >/proc/sys/net/ipv4/ip_forward
    [ -e /proc/sys/net/bridge/bridge-nf-call-iptables ] || modprobe br_netfilter 2>/dev/null || true
    [ -e /proc/sys/net/bridge/bridge-nf-call-iptables ] && echo 1 >/proc/sys/net/bridge/bridge-nf-call-iptables

    # A veth pair (this kernel has no dummy driver) whose host end carries the InternalIP; the peer only keeps it up.
    ip link add "$INT_IF" type veth peer name "${INT_IF}p"
    ip addr add "$INTERNAL_IP/24" dev "$INT_IF"
    ip link set "${INT_IF}p" up
    ip link set "$INT_IF" up

    ip netns add "$OUTSIDE_NS"
    ip link add "$EXT_IF" type veth peer name "$OUT_IF" netns "$OUTSIDE_NS"
    ip addr add "$EXTERNAL_IP/24" dev "$EXT_IF"
    ip link set "$EXT_IF" up
    ip -n "$OUTSIDE_NS" link set lo up
    ip -n "$OUTSIDE_NS" addr add "$OUTSIDE_IP/24" dev "$OUT_IF"
    ip -n "$OUTSIDE_NS" link set "$OUT_IF" up
    # The outside client knows the way to the node addresses and the LoadBalancer pool, nothing else: pod IPs and
    # ClusterIPs have no route there, as for a client on a real external network.
    ip -n "$OUTSIDE_NS" route add 10.211.0.0/24 via "$EXTERNAL_IP"
    ip -n "$OUTSIDE_NS" route add "$LB_POOL" via "$EXTERNAL_IP"

    ip link add "$BRIDGE" type bridge
    ip addr add "$BRIDGE_IP/16" dev "$BRIDGE"
    ip link set "$BRIDGE" up
    # Service and LoadBalancer addresses are only ever rewritten by kube-proxy; route them to our bridge so that an
    # unmatched one dies here instead of leaving through the default route.
    ip route add "$SERVICE_CIDR" dev "$BRIDGE"
    ip route add "$LB_POOL" dev "$BRIDGE"

    # Fence: nothing is forwarded between our interfaces (kx-*) and any other one, in either direction, and our
    # node addresses only answer on our interfaces and loopback.
    iptables -w -N KX-FORWARD
    iptables -w -A KX-FORWARD -i kx-+ ! -o kx-+ -j DROP
    iptables -w -A KX-FORWARD ! -i kx-+ -o kx-+ -j DROP
    iptables -w -I FORWARD 1 -j KX-FORWARD
    iptables -w -N KX-INPUT
    iptables -w -A KX-INPUT -i lo -j RETURN
    iptables -w -A KX-INPUT -i kx-+ -j RETURN
    iptables -w -A KX-INPUT -d 10.211.0.0/23 -j DROP
    iptables -w -A KX-INPUT -d "$POD_CIDR" -j DROP
    iptables -w -I INPUT 1 -j KX-INPUT
}

iptables_clean() { # remove every chain (and jump to it) named KUBE-*, CNI-* or KX-*
    local cmd table
    for cmd in iptables ip6tables; do
        command -v "$cmd-save" >/dev/null || continue
        for table in nat filter mangle raw; do
            local saved
            saved=$("$cmd-save" -t "$table" 2>/dev/null) || continue
            grep -qE '(KUBE-|CNI-|KX-)' <<<"$saved" || continue
            grep -vE '^:(KUBE-|CNI-|KX-)|^-A (KUBE-|CNI-|KX-)|-[jg] (KUBE-|CNI-|KX-)' <<<"$saved" | "$cmd-restore" -w 2>/dev/null \
                || log "warning: could not clean $cmd table $table"
        done
    done
}

net_down() {
    local ns
    # Pod network namespaces made by containerd's CNI (cni-<uuid>): only those with an address of our pod network,
    # or left without any interface but lo.
    for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep '^cni-' || true); do
        if ip -n "$ns" -4 addr 2>/dev/null | grep -q "inet 10\.213\." || ! ip -n "$ns" -o link 2>/dev/null | grep -qv ': lo:'; then
            ip netns delete "$ns" 2>/dev/null || true
        fi
    done
    ip netns delete "$OUTSIDE_NS" 2>/dev/null || true
    local dev
    for dev in "$EXT_IF" "$INT_IF" "$BRIDGE"; do ip link delete "$dev" 2>/dev/null || true; done
    ip route delete "$SERVICE_CIDR" 2>/dev/null || true
    ip route delete "$LB_POOL" 2>/dev/null || true
    iptables_clean
    if command -v conntrack >/dev/null; then
        for net in "$POD_CIDR" "$SERVICE_CIDR" "$LB_POOL" 10.211.0.0/23; do
            conntrack -D -d "$net" >/dev/null 2>&1 || true
            conntrack -D -s "$net" >/dev/null 2>&1 || true
        done
    fi
    if [ -e "$STATE/saved-sysctls" ]; then
        local line
        while IFS= read -r line; do
            [ -e "/proc/sys/${line%%=*}" ] && echo "${line#*=}" >"/proc/sys/${line%%=*}" 2>/dev/null || true
        done <"$STATE/saved-sysctls"
        rm -f "$STATE/saved-sysctls"
    fi
}

# --- PKI, tokens, kubeconfigs --------------------------------------------------------------------------------------

pki_ensure() {
    mkdir -p "$PKI"
    chmod 700 "$PKI"
    [ -s "$PKI/tokens.csv" ] && [ -s "$PKI/apiserver.crt" ] && [ -s "$PKI/ingress-default.crt" ] && return 0
    log "creating certificates and tokens"
    (
        cd "$PKI"
        openssl genrsa -out ca.key 2048 2>/dev/null
        openssl req -x509 -new -key ca.key -subj "/CN=kubeexpose-local-ca" -days 3650 -out ca.crt 2>/dev/null
        openssl genrsa -out apiserver.key 2048 2>/dev/null
        openssl req -new -key apiserver.key -subj "/CN=kube-apiserver" -out apiserver.csr 2>/dev/null
        printf '%s\n' "subjectAltName=IP:127.0.0.1,IP:10.212.0.1,IP:$INTERNAL_IP,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local" \
            "extendedKeyUsage=serverAuth" "keyUsage=critical,digitalSignature,keyEncipherment" >apiserver.ext
        openssl x509 -req -in apiserver.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 3650 -extfile apiserver.ext -out apiserver.crt 2>/dev/null
        openssl genrsa -out sa.key 2048 2>/dev/null
        openssl rsa -in sa.key -pubout -out sa.pub 2>/dev/null
        openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=kubeexpose-ingress-default" \
            -keyout ingress-default.key -out ingress-default.crt 2>/dev/null
        tok() { openssl rand -hex 16; }
        {
            echo "$(tok),kx-admin,kx-admin,system:masters"
            echo "$(tok),system:node:$NODE_NAME,kubelet,system:nodes"
            echo "$(tok),system:kube-proxy,kube-proxy"
            echo "$(tok),system:kube-controller-manager,kube-controller-manager,system:masters"
            echo "$(tok),system:kube-scheduler,kube-scheduler,system:masters"
            echo "$(tok),kx-test-controllers,kx-test-controllers,system:masters"
            echo "$(tok),kx-viewer,kx-viewer"
        } >tokens.csv.tmp
        mv tokens.csv.tmp tokens.csv
    )
}

token_of() { awk -F, -v u="$1" '$2 == u {print $1}' "$PKI/tokens.csv"; }

write_kubeconfig() { # FILE USER CONTEXT
    local file=$1 user=$2 context=$3
    cat >"$file.tmp" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: kubeexpose-local
  cluster:
    server: $API_SERVER
    certificate-authority-data: $(base64 -w0 "$PKI/ca.crt")
users:
- name: $user
  user:
    token: $(token_of "$user")
contexts:
- name: $context
  context:
    cluster: kubeexpose-local
    user: $user
    namespace: default
current-context: $context
EOF
    chmod 600 "$file.tmp"
    mv "$file.tmp" "$file"
}

kubeconfigs() {
    write_kubeconfig "$STATE/admin.kubeconfig" kx-admin kubeexpose-local
    write_kubeconfig "$STATE/viewer.kubeconfig" kx-viewer kubeexpose-local-viewer
    write_kubeconfig "$STATE/kubelet.kubeconfig" "system:node:$NODE_NAME" kubelet
    write_kubeconfig "$STATE/kube-proxy.kubeconfig" system:kube-proxy kube-proxy
    write_kubeconfig "$STATE/controller-manager.kubeconfig" system:kube-controller-manager controller-manager
    write_kubeconfig "$STATE/scheduler.kubeconfig" system:kube-scheduler scheduler
    write_kubeconfig "$STATE/test-controllers.kubeconfig" kx-test-controllers test-controllers
    # The viewer's kubeconfig is meant to be readable by tests running as any user.
    chmod 644 "$STATE/viewer.kubeconfig"
}

# --- components ----------------------------------------------------------------------------------------------------

start_etcd() {
    start etcd etcd --name kx --data-dir "$STATE/etcd" \
        --listen-client-urls "http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
        --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
        --initial-cluster "kx=http://127.0.0.1:$ETCD_PEER_PORT" --logger zap --log-level warn
}

start_containerd() {
    mkdir -p "$STATE/containerd" "$STATE/cni/net.d" "$RUN"
    cat >"$STATE/containerd/config.toml" <<EOF
version = 2
root = "$STATE/containerd/root"
state = "$RUN/containerd"
disabled_plugins = ["io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.aufs"]
[grpc]
  address = "$CONTAINERD_SOCK"
[ttrpc]
  address = "$RUN/containerd-ttrpc.sock"
[metrics]
  address = ""
[plugins."io.containerd.internal.v1.opt"]
  path = "$STATE/containerd/opt"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "kubeexpose.local/pause:1"
  # runc cannot lower oom_score_adj on this kind of machine; without this every sandbox fails with
  # "can't get final child's PID from pipe: EOF".
  restrict_oom_score_adj = true
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
  enable_selinux = false
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$STATE/cni/net.d"
EOF
    cat >"$STATE/cni/net.d/10-kubeexpose.conflist" <<EOF
{
  "cniVersion": "0.4.0",
  "name": "kubeexpose",
  "plugins": [
    {
      "type": "bridge", "bridge": "$BRIDGE", "isGateway": true, "ipMasq": true, "hairpinMode": true,
      "ipam": {
        "type": "host-local", "dataDir": "$STATE/cni/ipam",
        "ranges": [[{"subnet": "$POD_CIDR", "rangeStart": "10.213.0.10", "rangeEnd": "10.213.0.250", "gateway": "$BRIDGE_IP"}]],
        "routes": [{"dst": "0.0.0.0/0"}]
      }
    },
    {"type": "portmap", "capabilities": {"portMappings": true}, "snat": true}
  ]
}
EOF
    start containerd containerd --config "$STATE/containerd/config.toml"
}

import_images() {
    local image
    for image in "${IMAGES[@]}"; do
        ctr -a "$CONTAINERD_SOCK" -n k8s.io images import --no-unpack=false "$image" >>"$LOGS/containerd.log" 2>&1 \
            || fail_component containerd "importing $image failed"
    done
}

start_apiserver() {
    start kube-apiserver "$BIN/kube-apiserver" \
        --etcd-servers "http://127.0.0.1:$ETCD_PORT" \
        --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$API_PORT" --insecure-port 0 \
        --cert-dir "$PKI" --tls-cert-file "$PKI/apiserver.crt" --tls-private-key-file "$PKI/apiserver.key" \
        --client-ca-file "$PKI/ca.crt" --token-auth-file "$PKI/tokens.csv" \
        --authorization-mode Node,RBAC --allow-privileged=true \
        --service-cluster-ip-range "$SERVICE_CIDR" \
        --service-account-key-file "$PKI/sa.pub" --service-account-signing-key-file "$PKI/sa.key" \
        --service-account-issuer https://kubernetes.default.svc.cluster.local \
        --kubelet-preferred-address-types InternalIP,ExternalIP,Hostname \
        --profiling=false --v=1
}

api_ready() { curl -fsS --max-time 5 --cacert "$PKI/ca.crt" -H "Authorization: Bearer $(token_of kx-admin)" "$API_SERVER/readyz" >/dev/null; }

start_control_plane() {
    start kube-controller-manager "$BIN/kube-controller-manager" \
        --kubeconfig "$STATE/controller-manager.kubeconfig" \
        --authentication-kubeconfig "$STATE/controller-manager.kubeconfig" --authorization-kubeconfig "$STATE/controller-manager.kubeconfig" \
        --leader-elect=false --bind-address 127.0.0.1 --port 0 --cert-dir "$STATE/controller-manager" \
        --service-account-private-key-file "$PKI/sa.key" --root-ca-file "$PKI/ca.crt" \
        --cluster-signing-cert-file "$PKI/ca.crt" --cluster-signing-key-file "$PKI/ca.key" \
        --allocate-node-cidrs=true --cluster-cidr "$POD_CIDR" --node-cidr-mask-size 24 --service-cluster-ip-range "$SERVICE_CIDR" \
        --profiling=false --v=1
    start kube-scheduler "$BIN/kube-scheduler" \
        --kubeconfig "$STATE/scheduler.kubeconfig" \
        --authentication-kubeconfig "$STATE/scheduler.kubeconfig" --authorization-kubeconfig "$STATE/scheduler.kubeconfig" \
        --leader-elect=false --bind-address 127.0.0.1 --port 0 --cert-dir "$STATE/scheduler" --profiling=false --v=1
}

start_node() {
    mkdir -p "$STATE/kubelet" "$STATE/kube-proxy"
    [ -d /var/log/pods ] || touch "$STATE/created-var-log-pods"
    [ -d /var/log/containers ] || touch "$STATE/created-var-log-containers"
    echo "# the kubeexpose local cluster has no DNS" >"$STATE/kubelet/resolv.conf"
    cat >"$STATE/kubelet/config.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: $INTERNAL_IP
port: 10250
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: 10248
authentication:
  anonymous: {enabled: true}
  webhook: {enabled: false}
authorization: {mode: AlwaysAllow}
cgroupDriver: cgroupfs
cgroupsPerQOS: false
enforceNodeAllocatable: []
failSwapOn: false
hairpinMode: hairpin-veth
resolvConf: $STATE/kubelet/resolv.conf
clusterDomain: cluster.local
nodeStatusUpdateFrequency: 10s
evictionHard: {memory.available: "100Mi", nodefs.available: "2%", imagefs.available: "2%"}
imageGCHighThresholdPercent: 99
imageGCLowThresholdPercent: 98
EOF
    # --cloud-provider=external: the kubelet then keeps the node addresses once set, so the ExternalIP patched in by
    # up() survives its status updates (it also registers with a taint that up() removes, as a cloud provider would).
    start kubelet "$BIN/kubelet" \
        --config "$STATE/kubelet/config.yaml" --kubeconfig "$STATE/kubelet.kubeconfig" \
        --root-dir "$STATE/kubelet" --cert-dir "$STATE/kubelet/pki" --volume-plugin-dir "$STATE/kubelet/volume-plugins" \
        --hostname-override "$NODE_NAME" --node-ip "$INTERNAL_IP" --cloud-provider external \
        --container-runtime remote --container-runtime-endpoint "unix://$CONTAINERD_SOCK" \
        --pod-infra-container-image kubeexpose.local/pause:1 --v=1
    cat >"$STATE/kube-proxy/config.yaml" <<EOF
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
clientConnection: {kubeconfig: $STATE/kube-proxy.kubeconfig}
mode: iptables
hostnameOverride: $NODE_NAME
bindAddress: $INTERNAL_IP
clusterCIDR: $POD_CIDR
healthzBindAddress: 127.0.0.1:10256
metricsBindAddress: 127.0.0.1:10249
# NodePorts answer on the node's two addresses only (never on the machine's real interfaces).
nodePortAddresses: [10.211.0.0/24, 10.211.1.0/24]
conntrack: {maxPerCore: 0, min: 0, tcpEstablishedTimeout: 0s, tcpCloseWaitTimeout: 0s}
EOF
    start kube-proxy "$BIN/kube-proxy" --config "$STATE/kube-proxy/config.yaml" --v=1
}

node_ready() {
    [ "$(k get node "$NODE_NAME" -o 'jsonpath={.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null)" = True ]
}

set_node_addresses() {
    k patch node "$NODE_NAME" --subresource=status --type=merge -p \
        "{\"status\":{\"addresses\":[{\"type\":\"InternalIP\",\"address\":\"$INTERNAL_IP\"},{\"type\":\"ExternalIP\",\"address\":\"$EXTERNAL_IP\"},{\"type\":\"Hostname\",\"address\":\"$NODE_NAME\"}]}}" >/dev/null
    k taint node "$NODE_NAME" node.cloudprovider.kubernetes.io/uninitialized- >/dev/null 2>&1 || true
}

bootstrap_objects() {
    k apply -f - >/dev/null <<EOF
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: kx-node-reader}
rules:
- apiGroups: [""]
  resources: [nodes]
  verbs: [get, list, watch]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: kx-viewer-view}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: kx-viewer}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: kx-viewer-nodes}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: kx-node-reader}
subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: kx-viewer}]
---
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: $INGRESS_CLASS
  annotations: {ingressclass.kubernetes.io/is-default-class: "true"}
spec: {controller: kubeexpose.local/ingress-nginx}
---
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: {name: nginx}
spec: {controller: kubeexpose.local/ingress-nginx}
EOF
}

start_ingress() {
    local dir=$STATE/ingress
    mkdir -p "$dir/tmp" "$dir/certs"
    cat >"$dir/nginx.conf" <<EOF
# nginx of the local cluster's test Ingress controller (servers.conf is rendered by tests/e2e/ingress-controller.py)
user root;
worker_processes 1;
daemon off;
pid $dir/nginx.pid;
error_log $LOGS/nginx.log warn;
events { worker_connections 512; }
http {
    access_log $LOGS/nginx-access.log;
    client_body_temp_path $dir/tmp/body;
    proxy_temp_path $dir/tmp/proxy;
    fastcgi_temp_path $dir/tmp/fastcgi;
    uwsgi_temp_path $dir/tmp/uwsgi;
    scgi_temp_path $dir/tmp/scgi;
    server_names_hash_bucket_size 128;
    proxy_connect_timeout 5s;
    include $dir/servers.conf;
}
EOF
    cat >"$dir/servers.conf" <<EOF
server {
    listen $EXTERNAL_IP:80 default_server;
    listen $EXTERNAL_IP:443 ssl default_server;
    ssl_certificate $PKI/ingress-default.crt;
    ssl_certificate_key $PKI/ingress-default.key;
    server_name "_";
    location / { return 404 "default backend - 404\n"; }
}
EOF
    start nginx nginx -p "$dir" -c "$dir/nginx.conf" -e "$LOGS/nginx.log"
    wait_until nginx 20 "nginx on $EXTERNAL_IP:80" sh -c "curl -s -o /dev/null -w '%{http_code}' http://$EXTERNAL_IP/ | grep -q 404"
    start ingress-controller --marker ingress-controller.py /usr/bin/python3 -u "$HERE/ingress-controller.py" \
        "$STATE/test-controllers.kubeconfig" "$EXTERNAL_IP" "$dir" "$dir/nginx.pid" "$PKI/ingress-default.crt" "$PKI/ingress-default.key"
}

lb_mode() { cat "$STATE/lb-mode" 2>/dev/null || echo on; }

start_lb() {
    alive lb-controller && return 0
    start lb-controller --marker lb-controller.py /usr/bin/python3 -u "$HERE/lb-controller.py" "$STATE/test-controllers.kubeconfig" "$LB_POOL"
}

# --- commands ------------------------------------------------------------------------------------------------------

healthy() {
    local c
    for c in "${COMPONENTS[@]}"; do
        [ "$c" = lb-controller ] && [ "$(lb_mode)" = off ] && continue
        alive "$c" || { echo "$c is not running"; return 1; }
    done
    api_ready || { echo "the API server is not ready"; return 1; }
    node_ready || { echo "node $NODE_NAME is not Ready"; return 1; }
    ip netns list | grep -qw "$OUTSIDE_NS" || { echo "netns $OUTSIDE_NS is missing"; return 1; }
}

do_up() {
    [ "$(id -u)" = 0 ] || die "cluster.sh must run as root (it creates interfaces, namespaces and iptables rules)"
    [ "$(uname -s)" = Linux ] || die "Linux only"
    mkdir -p "$LOGS" "$PIDS"
    if [ -e "$PIDS/etcd.pid" ] || ip link show "$BRIDGE" >/dev/null 2>&1; then
        local why
        if why=$(healthy); then
            log "already up and healthy (API $API_SERVER, node $NODE_NAME Ready, LoadBalancer provisioning $(lb_mode))"
            return 0
        fi
        log "partially up ($why): stopping the rest first"
        do_down
    fi

    log "checking packages"
    ensure_packages
    log "Kubernetes binaries and images"
    build
    mkdir -p "$LOGS" "$PIDS" "$RUN"
    # Keep the previous run's logs for post-mortems.
    rm -rf "$LOGS/previous"; mkdir -p "$LOGS/previous"
    find "$LOGS" -maxdepth 1 -type f -exec mv {} "$LOGS/previous/" \;

    log "network: $INT_IF $INTERNAL_IP, $EXT_IF $EXTERNAL_IP, netns $OUTSIDE_NS $OUTSIDE_IP, bridge $BRIDGE $BRIDGE_IP"
    net_up
    pki_ensure
    kubeconfigs

    log "starting etcd (127.0.0.1:$ETCD_PORT) and containerd"
    start_etcd
    start_containerd
    wait_until etcd 30 "etcd health" curl -fsS --max-time 2 "http://127.0.0.1:$ETCD_PORT/health"
    log "starting kube-apiserver ($API_SERVER)"
    start_apiserver
    wait_until containerd 30 "containerd socket" ctr -a "$CONTAINERD_SOCK" version
    log "importing images ${IMAGES[*]##*/}"
    import_images
    wait_until kube-apiserver 90 "API readiness" api_ready
    log "API ready; starting controller-manager, scheduler, kubelet, kube-proxy"
    start_control_plane
    bootstrap_objects || fail_component kube-apiserver "creating the bootstrap objects failed"
    start_node
    wait_until kubelet 60 "node $NODE_NAME registered" k get node "$NODE_NAME"
    set_node_addresses
    log "starting nginx ($EXTERNAL_IP:80/443) and the test Ingress controller"
    start_ingress
    if [ "$(lb_mode)" = on ]; then start_lb; fi
    wait_until kubelet 90 "node $NODE_NAME Ready" node_ready
    wait_until kube-controller-manager 60 "ServiceAccount default/default" k get serviceaccount default
    wait_until kube-proxy 30 "kube-proxy health" curl -fsS --max-time 2 http://127.0.0.1:10256/healthz
    # The ExternalIP must still be there after the kubelet's own status updates.
    k get node "$NODE_NAME" -o jsonpath='{.status.addresses}' | grep -q "$EXTERNAL_IP" \
        || fail_component kubelet "the node lost its ExternalIP"
    log "up in $((SECONDS - T0)) s: node $NODE_NAME Ready; LoadBalancer provisioning $(lb_mode); eval \"\$($0 env)\" to use it"
}

unmount_under() { # unmount everything mounted below the given directories, deepest first
    local m
    for m in $(awk '{print $2}' /proc/self/mounts | grep -E "^($(IFS='|'; echo "$*"))(/|$)" | sort -r); do
        umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || log "warning: cannot unmount $m"
    done
}

do_down() {
    [ "$(id -u)" = 0 ] || die "cluster.sh must run as root"
    mkdir -p "$PIDS"
    local i c
    for ((i = ${#COMPONENTS[@]} - 1; i >= 0; i--)); do
        c=${COMPONENTS[i]}
        case $c in
            containerd)
                # The pods' processes and their containerd-shim-runc-v2 outlive containerd and the kubelet: kill the
                # shims that serve our containerd socket, their children (the containers' init processes, whose
                # death ends each container's pid namespace) first.
                local shim child
                for shim in $(pgrep -f "containerd-shim-runc-v2 .*-address $CONTAINERD_SOCK" || true); do
                    grep -qF -- "$CONTAINERD_SOCK" "/proc/$shim/cmdline" 2>/dev/null || continue
                    for child in $(cat /proc/"$shim"/task/*/children 2>/dev/null); do kill -KILL "$child" 2>/dev/null || true; done
                    kill -KILL "$shim" 2>/dev/null || true
                done
                stop containerd ;;
            *) stop "$c" ;;
        esac
    done
    unmount_under "$STATE" "$RUN"
    net_down
    # Empty cgroups left by the containers (cgroupfs driver: /sys/fs/cgroup/<controller>/k8s.io/<id>).
    local cg
    for cg in /sys/fs/cgroup/*/k8s.io; do
        [ -d "$cg" ] || continue
        find "$cg" -depth -type d -exec rmdir {} \; 2>/dev/null || true
    done
    [ -e "$STATE/created-var-log-pods" ] && rm -rf /var/log/pods
    [ -e "$STATE/created-var-log-containers" ] && rm -rf /var/log/containers
    rm -rf "$RUN"
    # Keep pki (stable tokens and kubeconfig paths), logs (post-mortems) and the LoadBalancer mode.
    local entry
    for entry in "$STATE"/*; do
        case ${entry##*/} in pki|logs|lb-mode) ;; *) rm -rf "$entry" ;; esac
    done
    log "down"
}

do_status() {
    local c pid rc=0
    for c in "${COMPONENTS[@]}"; do
        if pid=$(pid_of "$c"); then printf '%-24s running (pid %s)\n' "$c" "$pid"
        elif [ "$c" = lb-controller ] && [ "$(lb_mode)" = off ]; then printf '%-24s off (cluster.sh lb on)\n' "$c"
        else printf '%-24s stopped\n' "$c"; rc=1; fi
    done
    if [ -s "$PKI/tokens.csv" ] && api_ready 2>/dev/null; then printf '%-24s ready (%s)\n' api "$API_SERVER"; else printf '%-24s not ready\n' api; rc=1; fi
    if [ -s "$STATE/admin.kubeconfig" ] && node_ready; then printf '%-24s Ready (InternalIP %s, ExternalIP %s)\n' "node $NODE_NAME" "$INTERNAL_IP" "$EXTERNAL_IP"; else printf '%-24s not Ready\n' "node $NODE_NAME"; rc=1; fi
    printf '%-24s %s (pool %s)\n' loadbalancers "$(lb_mode)" "$LB_POOL"
    return $rc
}

do_env() {
    [ -s "$STATE/admin.kubeconfig" ] || die "the local cluster is not up (run $0 up)"
    cat <<EOF
export KUBECONFIG=$STATE/admin.kubeconfig
export KUBEEXPOSE_VIEWER_KUBECONFIG=$STATE/viewer.kubeconfig
export KX_API_SERVER=$API_SERVER
export KX_NODE_NAME=$NODE_NAME
export KX_NODE_INTERNAL_IP=$INTERNAL_IP
export KX_NODE_EXTERNAL_IP=$EXTERNAL_IP
export KX_OUTSIDE_NETNS=$OUTSIDE_NS
export KX_OUTSIDE_IP=$OUTSIDE_IP
export KX_POD_CIDR=$POD_CIDR
export KX_SERVICE_CIDR=$SERVICE_CIDR
export KX_LB_POOL=$LB_POOL
export KX_INGRESS_CLASS=$INGRESS_CLASS
export KX_INGRESS_IP=$EXTERNAL_IP
EOF
}

do_lb() {
    case ${1:-} in
        on)
            echo on >"$STATE/lb-mode"
            api_ready 2>/dev/null || die "the cluster is not up"
            start_lb
            log "LoadBalancer provisioning on (pool $LB_POOL)" ;;
        off)
            echo off >"$STATE/lb-mode"
            stop lb-controller
            log "LoadBalancer provisioning off: new LoadBalancer Services stay Pending" ;;
        *) die "usage: $0 lb on|off" ;;
    esac
}

# Sourcing the script (for debugging) defines the functions without running a command.
[ "${BASH_SOURCE[0]}" = "$0" ] || return 0

case ${1:-} in
    up) do_up ;;
    down) do_down ;;
    status) do_status ;;
    env) do_env ;;
    outside)
        shift
        [ "${1:-}" = -- ] && shift
        [ $# -gt 0 ] || die "usage: $0 outside -- CMD [ARGS...]"
        ip netns list | grep -qw "$OUTSIDE_NS" || die "netns $OUTSIDE_NS does not exist (run $0 up)"
        exec ip netns exec "$OUTSIDE_NS" "$@" ;;
    lb) do_lb "${2:-}" ;;
    build) ensure_packages; build; log "binaries in $BIN"; printf '%s\n' "${IMAGES[@]}" >&2 ;;
    *) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
