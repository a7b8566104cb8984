#!/usr/bin/env bash
# Wall time of `kubectl expose2 deploy/web --dry-run=client -o yaml` (the plugin: .NET start-up, the PowerShell engine
# in-process, the module import, the cmdlet) against `kubectl expose deploy/web --dry-run=client -o yaml`, both run
# through the real kubectl against the local cluster, interleaved, N times each; prints the medians and their ratio.
# Goal: ratio <= 2. Measured twice: served by the warm engine server (what a user sees from the second call on) and in
# the plugin's own process (KUBEEXPOSE_PLUGIN_SERVER=off: the first call, and every call under CI). Also prints `reach`
# against `kubectl get svc,endpoints` and the plugin's floor (--version, no engine).
# Usage: bench/plugin-vs-kubectl.sh [RUNS]   (needs tests/e2e/cluster.sh up and a built out/bin/kubectl-expose2)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-15}
eval "$(bash tests/e2e/cluster.sh env)"
export PATH="$PWD/out/bin:$PATH"
[ -x out/bin/kubectl-expose2 ] || { echo "build the plugin first: dotnet build src/kubectl-expose2 -c Release" >&2; exit 1; }

ns="bench-plugin-$RANDOM"
# A private engine server for this run; removing its directory at the end makes it exit.
export KUBEEXPOSE_PLUGIN_SERVER=on KUBEEXPOSE_PLUGIN_SERVER_DIR
KUBEEXPOSE_PLUGIN_SERVER_DIR=$(mktemp -d)
kubectl create namespace "$ns" >/dev/null
trap 'kubectl delete namespace "$ns" --wait=false >/dev/null 2>&1 || true; rm -rf "$KUBEEXPOSE_PLUGIN_SERVER_DIR"' EXIT
until kubectl -n "$ns" get serviceaccount default >/dev/null 2>&1; do sleep 0.5; done
kubectl -n "$ns" create deployment web --image=kubeexpose.local/web:1 --port=80 >/dev/null
kubectl -n "$ns" patch deployment web --type=json -p '[{"op":"add","path":"/spec/template/spec/containers/0/imagePullPolicy","value":"Never"}]' >/dev/null
kubectl -n "$ns" rollout status deployment/web --timeout=120s >/dev/null
kubectl -n "$ns" expose deployment web --port 80 --name web-svc >/dev/null

# One timed run in milliseconds; the exit code is remembered so a failing command is reported, not silently timed.
time_ms() {
    local start end
    start=$(date +%s%N)
    if "$@" >/dev/null 2>"$tmp/err"; then status=0; else status=$?; fi
    end=$(date +%s%N)
    echo $(((end - start) / 1000000))
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : int((a[NR/2] + a[NR/2+1]) / 2)}'; }

tmp=$(mktemp -d)
compare() {
    local label=$1; shift
    local -a all=("$@") ours=() theirs=()
    local i split=-1
    for i in "${!all[@]}"; do [ "${all[$i]}" = "--" ] && split=$i; done
    ours=("${all[@]:0:split}"); theirs=("${all[@]:split+1}")
    : >"$tmp/ours"; : >"$tmp/theirs"
    # Warm the file cache once for each side.
    "${ours[@]}" >/dev/null 2>&1 || true; "${theirs[@]}" >/dev/null 2>&1 || true
    local failed=""
    for ((i = 0; i < runs; i++)); do
        time_ms "${ours[@]}" >>"$tmp/ours"; [ "$status" = 0 ] || failed=" (plugin FAILED: $(head -c 160 "$tmp/err"))"
        time_ms "${theirs[@]}" >>"$tmp/theirs"
    done
    local a b
    a=$(median <"$tmp/ours"); b=$(median <"$tmp/theirs")
    printf '%-34s plugin %6d ms   kubectl %6d ms   ratio %s%s\n' "$label" "$a" "$b" "$(awk -v a="$a" -v b="$b" 'BEGIN {printf "%.2f", a / b}')" "$failed"
}

# The first call starts the server; wait until it listens, then warm it with one served call.
kubectl expose2 reach svc/web-svc -n "$ns" >/dev/null 2>&1 || true
for _ in $(seq 1 120); do compgen -G "$KUBEEXPOSE_PLUGIN_SERVER_DIR/*.sock" >/dev/null && break; sleep 0.5; done
compgen -G "$KUBEEXPOSE_PLUGIN_SERVER_DIR/*.sock" >/dev/null || { echo "the engine server did not start" >&2; exit 1; }
KUBEEXPOSE_TIMING=1 kubectl expose2 deploy/web -n "$ns" --dry-run=client -o yaml 2>&1 >/dev/null | grep -q "served by the engine server" \
    || { echo "a call was not served by the engine server" >&2; exit 1; }

echo "median of $runs runs each, interleaved; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
compare "expose --dry-run=client -o yaml" kubectl expose2 deploy/web -n "$ns" --dry-run=client -o yaml -- kubectl expose deploy/web -n "$ns" --dry-run=client -o yaml
compare "reach svc vs get svc,endpoints" kubectl expose2 reach svc/web-svc -n "$ns" -- kubectl get svc,endpoints web-svc -n "$ns"
compare "--version vs kubectl version" kubectl expose2 --version -- kubectl version --client
# Back to back, as a script's loop calls it: a served call must not stall behind the previous one's clean-up.
: >"$tmp/loop"
for ((i = 0; i < runs; i++)); do time_ms kubectl expose2 deploy/web -n "$ns" --dry-run=client -o yaml >>"$tmp/loop"; done
printf '%-34s plugin %6d ms median, %d ms max\n' "expose, back to back (served)" "$(median <"$tmp/loop")" "$(sort -n "$tmp/loop" | tail -1)"
export KUBEEXPOSE_PLUGIN_SERVER=off
compare "expose, own process (no server)" kubectl expose2 deploy/web -n "$ns" --dry-run=client -o yaml -- kubectl expose deploy/web -n "$ns" --dry-run=client -o yaml
rm -rf "$tmp"
