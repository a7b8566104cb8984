#!/usr/bin/env bash
# Builds the two local images of the test cluster as docker-archive tarballs (nothing can be pulled here) and prints
# their paths, one per line. cluster.sh imports them into containerd. Cached by the content of this script.
#   kubeexpose.local/web:1    HTTP on $HTTP_PORT (80): every path answers 200 with a text page naming the pod's
#                             hostname and the request path; TLS on $TLS_PORT (8443, openssl s_server -www) with a
#                             self-signed certificate whose CN/SAN is the pod's hostname. Either port 0 = off.
#   kubeexpose.local/pause:1  the sandbox image: waits, and exits on SIGTERM.
set -euo pipefail

CACHE=${KUBEEXPOSE_CACHE:-$HOME/.cache/kubeexpose}
recipe=$(sha256sum "$0" | cut -c1-12)
OUT="$CACHE/images-$recipe"

log() { printf '[images %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }

if [ -s "$OUT/web.tar" ] && [ -s "$OUT/pause.tar" ]; then
    printf '%s\n' "$OUT/web.tar" "$OUT/pause.tar"
    exit 0
fi
command -v busybox >/dev/null || { echo "busybox (busybox-static) is required" >&2; exit 1; }
busybox_bin=$(command -v busybox)
file -L "$busybox_bin" 2>/dev/null | grep -q 'dynamically linked' && { echo "busybox must be static (apt-get install busybox-static)" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# A root filesystem with a static busybox and its applet links.
busybox_root() {
    local root=$1
    mkdir -p "$root"/{bin,etc,tmp,proc,sys,dev,root}
    chmod 1777 "$root/tmp"
    cp "$busybox_bin" "$root/bin/busybox"
    for applet in $("$busybox_bin" --list); do
        [ "$applet" = busybox ] || ln -sf busybox "$root/bin/$applet"
    done
    printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' > "$root/etc/passwd"
    printf 'root:x:0:\nnogroup:x:65534:\n' > "$root/etc/group"
}

# Writes a docker-archive (docker save format) that `ctr images import` understands.
archive() {
    local root=$1 tag=$2 out=$3 config_json=$4
    local dir="$work/archive-$(basename "$out" .tar)"
    mkdir -p "$dir"
    tar --numeric-owner --owner=0 --group=0 --sort=name --mtime='2021-01-13 00:00Z' -C "$root" -cf "$dir/layer.tar" .
    local diff_id
    diff_id=$(sha256sum "$dir/layer.tar" | cut -d' ' -f1)
    python3 - "$dir" "$diff_id" "$tag" "$config_json" <<'PY'
import hashlib, json, sys
d, diff_id, tag, cfg = sys.argv[1:]
config = {
    "architecture": "amd64", "os": "linux", "created": "2021-01-13T00:00:00Z",
    "config": json.loads(cfg),
    "rootfs": {"type": "layers", "diff_ids": ["sha256:" + diff_id]},
    "history": [{"created": "2021-01-13T00:00:00Z", "created_by": "tests/e2e/build-images.sh"}],
}
raw = json.dumps(config, sort_keys=True).encode()
name = hashlib.sha256(raw).hexdigest() + ".json"
open(f"{d}/{name}", "wb").write(raw)
json.dump([{"Config": name, "RepoTags": [tag], "Layers": ["layer.tar"]}], open(f"{d}/manifest.json", "w"))
PY
    tar -C "$dir" -cf "$out.tmp" .
    mv "$out.tmp" "$out"
}

log "building kubeexpose.local/web:1 and kubeexpose.local/pause:1"
mkdir -p "$OUT"

# --- web ---
web="$work/web"
busybox_root "$web"
# openssl (dynamically linked) and its libraries, for the TLS server.
if command -v openssl >/dev/null; then
    for f in $(command -v openssl) $(ldd "$(command -v openssl)" | grep -o '/[^ ]*'); do
        mkdir -p "$web$(dirname "$f")"
        cp -L "$f" "$web$f"
    done
    mkdir -p "$web/usr/lib/ssl"
    cp -L /usr/lib/ssl/openssl.cnf "$web/usr/lib/ssl/openssl.cnf"
fi
cat > "$web/handler.sh" <<'SH'
#!/bin/sh
# One HTTP exchange on stdin/stdout (started by `nc -ll -e` per connection).
CR=$(printf '\r')
read -r -t 10 method path proto || exit 0
# Drain the request headers: closing with unread input would reset the connection under the client.
while read -r -t 10 line; do case "$line" in ""|"$CR") break;; esac; done
body="kubeexpose web host=$KX_HOST path=$path
"
printf 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %s\r\nX-Served-By: %s\r\nConnection: close\r\n\r\n' "${#body}" "$KX_HOST"
[ "$method" = HEAD ] || printf '%s' "$body"
SH
cat > "$web/start.sh" <<'SH'
#!/bin/sh
# PID 1 of the web container: HTTP on $HTTP_PORT (default 80), TLS on $TLS_PORT (default 8443); SIGTERM stops both.
export KX_HOST="$(hostname)"
pids=""
if [ "${TLS_PORT:-8443}" != 0 ] && [ -x /usr/bin/openssl ]; then
    if openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 3650 \
        -subj "/CN=$KX_HOST" -addext "subjectAltName=DNS:$KX_HOST" \
        -keyout /tmp/tls.key -out /tmp/tls.crt >/dev/null 2>&1; then
        openssl s_server -quiet -accept "${TLS_PORT:-8443}" -cert /tmp/tls.crt -key /tmp/tls.key -www </dev/null >/dev/null 2>&1 &
        pids="$pids $!"
    fi
fi
if [ "${HTTP_PORT:-80}" != 0 ]; then
    nc -ll -p "${HTTP_PORT:-80}" -e /handler.sh &
    pids="$pids $!"
fi
echo "kubeexpose web on ${HTTP_PORT:-80}/${TLS_PORT:-8443} as $KX_HOST"
trap 'kill $pids 2>/dev/null; exit 0' TERM INT
wait
SH
chmod +x "$web/handler.sh" "$web/start.sh"
archive "$web" kubeexpose.local/web:1 "$OUT/web.tar" \
    '{"Cmd":["/bin/sh","/start.sh"],"Env":["PATH=/usr/bin:/bin"],"WorkingDir":"/","ExposedPorts":{"80/tcp":{},"8443/tcp":{}}}'

# --- pause ---
pause="$work/pause"
mkdir -p "$pause"/{bin,proc,sys,dev,tmp}
cp "$busybox_bin" "$pause/bin/busybox"
ln -s busybox "$pause/bin/sh"
ln -s busybox "$pause/bin/sleep"
archive "$pause" kubeexpose.local/pause:1 "$OUT/pause.tar" \
    '{"Cmd":["/bin/sh","-c","trap \"exit 0\" TERM INT; while :; do sleep 3600 & wait $!; done"],"Env":["PATH=/bin"],"WorkingDir":"/"}'

printf '%s\n' "$OUT/web.tar" "$OUT/pause.tar"
