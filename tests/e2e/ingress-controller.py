#!/usr/bin/env python3
"""Test-only Ingress controller of the local cluster: renders Debian's nginx configuration from Ingress objects.

It serves networking.k8s.io/v1 Ingresses whose class is one of the IngressClasses with
spec.controller == kubeexpose.local/ingress-nginx (cluster.sh creates `kx-nginx`, the default class, and `nginx`),
and those without a class when one of ours is the default. Host rules become nginx server blocks on ADDRESS:80 (and
ADDRESS:443 with the certificate of the referenced kubernetes.io/tls Secret for hosts listed under spec.tls), paths
become locations (Exact: `location =`; Prefix: element-wise prefix; ImplementationSpecific: nginx prefix), backends
are proxied to the Service's ClusterIP:port (kube-proxy then picks a pod) or, for a headless Service, to its
endpoints. Unmatched requests get 404 from the default server, a missing backend 503. It writes
status.loadBalancer.ingress[0].ip = ADDRESS on every Ingress it serves.

Usage: ingress-controller.py KUBECONFIG ADDRESS CONFIG_DIR NGINX_PID_FILE DEFAULT_CERT DEFAULT_KEY
"""

import base64
import hashlib
import os
import signal
import subprocess
import sys

from kube_api import KubeApi, log, run_forever

NAME = "ingress-controller"
CONTROLLER = "kubeexpose.local/ingress-nginx"
DEFAULT_CLASS_ANNOTATION = "ingressclass.kubernetes.io/is-default-class"


def main():
    kubeconfig, address, config_dir, pid_file, default_cert, default_key = sys.argv[1:7]
    api = KubeApi(kubeconfig)
    servers_conf = os.path.join(config_dir, "servers.conf")
    cert_dir = os.path.join(config_dir, "certs")
    os.makedirs(cert_dir, mode=0o700, exist_ok=True)
    log(NAME, f"serving Ingresses of controller {CONTROLLER} on {address}:80/443")

    def step():
        classes = api.get("/apis/networking.k8s.io/v1/ingressclasses")["items"]
        ours = {c["metadata"]["name"] for c in classes if c["spec"].get("controller") == CONTROLLER}
        default_is_ours = any(
            c["metadata"].get("annotations", {}).get(DEFAULT_CLASS_ANNOTATION) == "true"
            for c in classes if c["metadata"]["name"] in ours)
        ingresses = api.get("/apis/networking.k8s.io/v1/ingresses")["items"]
        ingresses.sort(key=lambda i: (i["metadata"]["creationTimestamp"], i["metadata"]["namespace"], i["metadata"]["name"]))
        served = [i for i in ingresses if _is_ours(i, ours, default_is_ours)]

        text = Renderer(api, address, cert_dir, default_cert, default_key).render(served)
        old = open(servers_conf, encoding="utf-8").read() if os.path.exists(servers_conf) else ""
        rejected = servers_conf + ".rejected"
        already_rejected = os.path.exists(rejected) and open(rejected, encoding="utf-8").read() == text
        if text != old and not already_rejected:
            _apply(servers_conf, text, old, config_dir, pid_file)

        for ing in ingresses:
            meta = ing["metadata"]
            path = f"/apis/networking.k8s.io/v1/namespaces/{meta['namespace']}/ingresses/{meta['name']}"
            current = ing.get("status", {}).get("loadBalancer", {}).get("ingress") or []
            if ing in served and current != [{"ip": address}]:
                api.merge_patch_status(path, {"loadBalancer": {"ingress": [{"ip": address}]}})
                log(NAME, f"status of {meta['namespace']}/{meta['name']} -> {address}")
            elif ing not in served and any(c.get("ip") == address for c in current):
                api.merge_patch_status(path, {"loadBalancer": {"ingress": None}})

    run_forever(NAME, step)


def _is_ours(ing, ours, default_is_ours):
    cls = ing["spec"].get("ingressClassName")
    if cls:
        return cls in ours
    legacy = ing["metadata"].get("annotations", {}).get("kubernetes.io/ingress.class")
    if legacy:
        return legacy in ours
    return default_is_ours


def _apply(servers_conf, text, old, config_dir, pid_file):
    with open(servers_conf, "w", encoding="utf-8") as f:
        f.write(text)
    test = subprocess.run(["nginx", "-t", "-q", "-p", config_dir, "-c", os.path.join(config_dir, "nginx.conf")],
                          capture_output=True, text=True)
    if test.returncode != 0:
        log(NAME, "rendered configuration rejected by nginx -t, keeping the previous one:\n" + test.stderr)
        with open(servers_conf, "w", encoding="utf-8") as f:
            f.write(old)
        # Remember the bad rendering so the same objects are not retried every second.
        with open(servers_conf + ".rejected", "w", encoding="utf-8") as f:
            f.write(text)
        return
    pid = int(open(pid_file).read().strip())
    os.kill(pid, signal.SIGHUP)
    log(NAME, "nginx reloaded")


def _quote(value):
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


class Renderer:
    """Turns the served Ingresses into nginx server blocks (deterministic text, so unchanged objects never reload)."""

    def __init__(self, api, address, cert_dir, default_cert, default_key):
        self.api = api
        self.address = address
        self.cert_dir = cert_dir
        self.default_cert = default_cert
        self.default_key = default_key
        self.upstreams = {}
        self.services = {}

    def render(self, ingresses):
        hosts = {}  # host ("" = default server) -> {location key: (directive, upstream or None)}
        tls = {}    # host -> (cert, key)
        default_backend = None
        for ing in ingresses:
            ns = ing["metadata"]["namespace"]
            spec = ing["spec"]
            for entry in spec.get("tls") or []:
                pair = self._certificate(ns, entry.get("secretName"))
                for host in entry.get("hosts") or []:
                    tls.setdefault(host, pair)
            if spec.get("defaultBackend") and default_backend is None:
                default_backend = self._upstream(ns, spec["defaultBackend"])
            for rule in spec.get("rules") or []:
                locations = hosts.setdefault(rule.get("host") or "", {})
                for p in (rule.get("http") or {}).get("paths") or []:
                    upstream = self._upstream(ns, p.get("backend") or {})
                    for key in _locations(p.get("path") or "/", p.get("pathType") or "ImplementationSpecific"):
                        # The oldest Ingress wins a conflict, as in ingress-nginx.
                        locations.setdefault(key, upstream)

        out = ["# generated by tests/e2e/ingress-controller.py; do not edit"]
        for name, servers in sorted(self.upstreams.items()):
            if servers:
                out.append(f"upstream {name} {{")
                out.extend(f"    server {s};" for s in servers)
                out.append("}")
        default_locations = hosts.pop("", {})
        if default_backend is not None:
            default_locations.setdefault("/", default_backend)
        out.extend(self._server("_", default_locations, (self.default_cert, self.default_key), default=True))
        for host in sorted(hosts):
            out.extend(self._server(host, hosts[host], tls.get(host)))
        return "\n".join(out) + "\n"

    def _server(self, host, locations, cert, default=False):
        flag = " default_server" if default else ""
        lines = ["server {", f"    listen {self.address}:80{flag};"]
        if cert:
            lines += [f"    listen {self.address}:443 ssl{flag};",
                      f"    ssl_certificate {cert[0]};", f"    ssl_certificate_key {cert[1]};"]
        lines.append(f"    server_name {_quote(host)};")
        if "/" not in locations:
            lines.append('    location / { return 404 "default backend - 404\\n"; }')
        for key in sorted(locations):
            upstream = locations[key]
            modifier = "= " if key.startswith("=") else ""
            path = key[1:] if key.startswith("=") else key
            lines.append(f"    location {modifier}{_quote(path)} {{")
            if upstream:
                lines += [f"        proxy_pass http://{upstream};",
                          "        proxy_set_header Host $host;",
                          "        proxy_set_header X-Real-IP $remote_addr;",
                          "        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
                          "        proxy_set_header X-Forwarded-Proto $scheme;",
                          "        proxy_set_header X-Forwarded-Host $host;"]
            else:
                lines.append('        return 503 "no backend\\n";')
            lines.append("    }")
        lines.append("}")
        return lines

    def _service(self, ns, name):
        key = (ns, name)
        if key not in self.services:
            self.services[key] = self.api.get_or_none(f"/api/v1/namespaces/{ns}/services/{name}")
        return self.services[key]

    def _upstream(self, ns, backend):
        svc_ref = backend.get("service")
        if not svc_ref:
            return None
        svc = self._service(ns, svc_ref.get("name", ""))
        if svc is None:
            return None
        port_ref = svc_ref.get("port") or {}
        port = None
        for sp in svc["spec"].get("ports") or []:
            if ("number" in port_ref and sp.get("port") == port_ref["number"]) or \
               ("name" in port_ref and sp.get("name") == port_ref["name"]):
                port = sp
                break
        if port is None:
            return None
        name = f"kx_{ns}_{svc['metadata']['name']}_{port['port']}".replace("-", "_").replace(".", "_")
        if name in self.upstreams:
            return name if self.upstreams[name] else None
        cluster_ip = svc["spec"].get("clusterIP")
        servers = []
        if cluster_ip and cluster_ip != "None":
            servers = [f"{cluster_ip}:{port['port']}"]
        else:
            ep = self.api.get_or_none(f"/api/v1/namespaces/{ns}/endpoints/{svc['metadata']['name']}") or {}
            for subset in ep.get("subsets") or []:
                target = next((p["port"] for p in subset.get("ports") or []
                               if p.get("name") == port.get("name") or len(subset["ports"]) == 1), None)
                if target is not None:
                    servers += [f"{a['ip']}:{target}" for a in subset.get("addresses") or []]
        self.upstreams[name] = sorted(servers)
        return name if servers else None

    def _certificate(self, ns, secret_name):
        if not secret_name:
            return (self.default_cert, self.default_key)
        secret = self.api.get_or_none(f"/api/v1/namespaces/{ns}/secrets/{secret_name}")
        data = (secret or {}).get("data") or {}
        if "tls.crt" not in data or "tls.key" not in data:
            # Like ingress-nginx: a missing or malformed Secret falls back to the default certificate.
            return (self.default_cert, self.default_key)
        crt, key = base64.b64decode(data["tls.crt"]), base64.b64decode(data["tls.key"])
        digest = hashlib.sha256(crt + key).hexdigest()[:16]
        # The digest in the file name makes a changed Secret change the rendered text, hence reload nginx.
        base = os.path.join(self.cert_dir, f"{ns}_{secret_name}_{digest}")
        if not os.path.exists(base + ".crt"):
            with open(base + ".key", "wb", opener=lambda p, f: os.open(p, f, 0o600)) as f:
                f.write(key)
            with open(base + ".crt", "wb") as f:
                f.write(crt)
        return (base + ".crt", base + ".key")


def _locations(path, path_type):
    """Location keys for one Ingress path: "=/x" is an exact nginx match, "/x" a prefix match."""
    if path_type == "Exact":
        return ["=" + path]
    if path_type == "Prefix":
        trimmed = path.rstrip("/")
        if not trimmed:
            return ["/"]
        # Prefix matches whole path elements: /foo matches /foo and /foo/bar, never /foobar.
        return ["=" + trimmed, trimmed + "/"]
    return [path]


if __name__ == "__main__":
    main()
