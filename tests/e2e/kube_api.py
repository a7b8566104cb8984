"""A minimal Kubernetes API client for the test-only controllers of the local cluster (standard library only).

It reads the server, CA and bearer token from a kubeconfig written by cluster.sh (token users only).
"""

import base64
import json
import ssl
import sys
import time
import urllib.error
import urllib.request


class KubeApi:
    """GET/PATCH against the API server of one kubeconfig."""

    def __init__(self, kubeconfig_path):
        server = token = ca_data = None
        # cluster.sh writes flat, one-cluster kubeconfigs; a line scan avoids needing a YAML parser.
        for line in open(kubeconfig_path, encoding="utf-8"):
            key, _, value = line.strip().partition(": ")
            if key == "server":
                server = value.strip()
            elif key == "token":
                token = value.strip()
            elif key == "certificate-authority-data":
                ca_data = base64.b64decode(value.strip()).decode()
        if not (server and token and ca_data):
            raise SystemExit(f"{kubeconfig_path}: server, token and certificate-authority-data are required")
        self.server = server
        self.token = token
        self.context = ssl.create_default_context(cadata=ca_data)

    def request(self, method, path, body=None, content_type="application/json"):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.server + path, data=data, method=method)
        req.add_header("Authorization", "Bearer " + self.token)
        req.add_header("Accept", "application/json")
        if data is not None:
            req.add_header("Content-Type", content_type)
        with urllib.request.urlopen(req, context=self.context, timeout=15) as resp:
            return json.loads(resp.read() or b"{}")

    def get(self, path):
        return self.request("GET", path)

    def get_or_none(self, path):
        try:
            return self.get(path)
        except urllib.error.HTTPError as e:
            if e.code == 404:
                return None
            raise

    def merge_patch_status(self, path, status):
        return self.request("PATCH", path + "/status", {"status": status}, "application/merge-patch+json")


def log(name, message):
    print(f"[{name} {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def run_forever(name, step, interval=1.0):
    """Calls step() every interval seconds; errors are logged, never fatal (the API may restart under us)."""
    last_error = None
    while True:
        try:
            step()
            last_error = None
        except Exception as e:  # noqa: BLE001 - a controller loop must survive anything
            text = f"{type(e).__name__}: {e}"
            if text != last_error:
                log(name, "error: " + text)
                last_error = text
        time.sleep(interval)
