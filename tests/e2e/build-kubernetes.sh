#!/usr/bin/env bash
# Builds the five Kubernetes 1.20.2 server binaries from Debian's `kubernetes` source package with Debian's Go 1.19,
# into a cache outside the repository keyed by version and build recipe. Called by cluster.sh (up/build); safe to
# run again: a complete cache entry is reused as is.
set -euo pipefail

K8S_VERSION=v1.20.2
# Bump when the recipe below changes, so an old cache entry is not reused.
BUILD_REV=3
CACHE=${KUBEEXPOSE_CACHE:-$HOME/.cache/kubeexpose}
OUT="$CACHE/kubernetes-$K8S_VERSION-r$BUILD_REV/bin"
BINARIES=(kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy)

log() { printf '[build %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }

complete() { for b in "${BINARIES[@]}"; do [ -x "$OUT/$b" ] || return 1; done; }
if complete; then log "binaries cached in $OUT"; echo "$OUT"; exit 0; fi

start=$SECONDS
export DEBIAN_FRONTEND=noninteractive
if [ ! -e /etc/apt/sources.list.d/kubeexpose-deb-src.sources ]; then
    log "adding the bookworm deb-src entry"
    cat > /etc/apt/sources.list.d/kubeexpose-deb-src.sources <<'SRC'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
    apt-get update -qq
fi
if [ ! -x /usr/lib/go-1.19/bin/go ] || ! command -v rsync >/dev/null || ! command -v make >/dev/null; then
    log "installing golang-1.19-go, rsync, make"
    apt-get install -y -qq golang-1.19-go rsync make dpkg-dev >/dev/null
fi

work="$CACHE/src-$K8S_VERSION"
mkdir -p "$work"
if ! ls "$work"/kubernetes_*.orig.tar.gz >/dev/null 2>&1; then
    log "downloading the kubernetes source package"
    (cd "$work" && apt-get source --download-only kubernetes >/dev/null 2>&1 || apt-get source --download-only kubernetes)
fi
tarball=$(ls "$work"/kubernetes_*.orig.tar.gz | head -1)

gopath="$work/gopath"
tree="$gopath/src/k8s.io/kubernetes"
if [ ! -e "$tree/.kubeexpose-generated" ]; then
    rm -rf "$gopath"; mkdir -p "$tree"
    log "unpacking $(basename "$tarball")"
    tar -xzf "$tarball" -C "$tree" --strip-components=1
    # Go >= 1.18 changed reflect.mapiterinit; reflect2 v1.0.1 (vendored by 1.20) then corrupts memory and the
    # apiserver dies with "fatal error: fault" in UnsafeMapType.UnsafeIterate within a minute. Apply v1.0.2's fix.
    r2="$tree/vendor/github.com/modern-go/reflect2"
    if [ ! -e "$r2/go_above_118.go" ]; then
        log "patching vendored modern-go/reflect2 for Go 1.18+"
        python3 - "$r2" <<'PY'
import re, sys
d = sys.argv[1]
link = open(d + '/unsafe_link.go').read()
link, n1 = re.subn(r"(// [^\n]*\n)*//go:noescape\n//go:linkname mapiterinit reflect\.mapiterinit\nfunc mapiterinit\(rtype unsafe\.Pointer, m unsafe\.Pointer\) \*hiter\n", "", link)
umap = open(d + '/unsafe_map.go').read()
umap, n2 = re.subn(r'func \(type2 \*UnsafeMapType\) UnsafeIterate\(obj unsafe\.Pointer\) MapIterator \{.*?\n\}\n', '', umap, flags=re.S)
if n1 != 1 or n2 != 1: sys.exit('reflect2 patch did not apply (%d, %d)' % (n1, n2))
open(d + '/unsafe_link.go', 'w').write(link); open(d + '/unsafe_map.go', 'w').write(umap)
PY
        cat > "$r2/go_above_118.go" <<'GO'
//+build go1.18

package reflect2

import (
	"unsafe"
)

// m escapes into the return value, but the caller of mapiterinit
// doesn't let the return value escape.
//go:noescape
//go:linkname mapiterinit reflect.mapiterinit
func mapiterinit(rtype unsafe.Pointer, m unsafe.Pointer, it *hiter)

func (type2 *UnsafeMapType) UnsafeIterate(obj unsafe.Pointer) MapIterator {
	var it hiter
	mapiterinit(type2.rtype, *(*unsafe.Pointer)(obj), &it)
	return &UnsafeMapIterator{
		hiter:      &it,
		pKeyRType:  type2.pKeyRType,
		pElemRType: type2.pElemRType,
	}
}
GO
        cat > "$r2/go_below_118.go" <<'GO'
//+build !go1.18

package reflect2

import (
	"unsafe"
)

//go:linkname mapiterinit reflect.mapiterinit
func mapiterinit(rtype unsafe.Pointer, m unsafe.Pointer) (val *hiter)

func (type2 *UnsafeMapType) UnsafeIterate(obj unsafe.Pointer) MapIterator {
	return &UnsafeMapIterator{
		hiter:      mapiterinit(type2.rtype, *(*unsafe.Pointer)(obj)),
		pKeyRType:  type2.pKeyRType,
		pElemRType: type2.pElemRType,
	}
}
GO
    fi
    log "generating code (make generated_files)"
    (cd "$tree" && PATH=/usr/lib/go-1.19/bin:$PATH GOPATH="$gopath" GO111MODULE=off make generated_files >"$work/generate.log" 2>&1) \
        || { tail -30 "$work/generate.log" >&2; exit 1; }
    touch "$tree/.kubeexpose-generated"
fi

log "compiling ${BINARIES[*]} (GOPATH mode, Go 1.19)"
mkdir -p "$OUT.tmp"
# In GOPATH mode vendored packages are named k8s.io/kubernetes/vendor/<path>: -X must use that name, or the
# binaries report v0.0.0-master (hack/lib/version.sh does the same).
ldflags="-s -w"
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    for prefix in "" k8s.io/kubernetes/vendor/; do
        ldflags+=" -X $prefix$pkg.gitVersion=$K8S_VERSION -X $prefix$pkg.gitMajor=1 -X $prefix$pkg.gitMinor=20"
        ldflags+=" -X $prefix$pkg.gitTreeState=clean -X $prefix$pkg.buildDate=2021-01-13T13:20:00Z"
    done
done
(cd "$tree" && PATH=/usr/lib/go-1.19/bin:$PATH GOPATH="$gopath" GO111MODULE=off CGO_ENABLED=0 GOFLAGS= \
    go build -ldflags "$ldflags" -o "$OUT.tmp/" ./cmd/kube-apiserver ./cmd/kube-controller-manager ./cmd/kube-scheduler ./cmd/kubelet ./cmd/kube-proxy \
    >"$work/build.log" 2>&1) || { tail -30 "$work/build.log" >&2; exit 1; }
rm -rf "$OUT"; mkdir -p "$(dirname "$OUT")"; mv "$OUT.tmp" "$OUT"
log "built in $((SECONDS - start)) s"
echo "$OUT"
