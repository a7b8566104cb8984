#!/usr/bin/env python3
"""Test-only LoadBalancer provisioner of the local cluster (started by `cluster.sh lb on`, stopped by `lb off`).

Gives every Service of type LoadBalancer an address from the pool (spec.loadBalancerIP when it is free and in the
pool) in status.loadBalancer.ingress. cluster.sh routes the pool to the node, so kube-proxy's iptables rules answer
on these addresses for real, also from the kx-outside namespace. While it is off, new LoadBalancers stay Pending,
as on a cluster without a cloud provider. Usage: lb-controller.py KUBECONFIG POOL_CIDR
"""

import ipaddress
import sys

from kube_api import KubeApi, log, run_forever

NAME = "lb-controller"


def main():
    api = KubeApi(sys.argv[1])
    pool = ipaddress.ip_network(sys.argv[2])
    log(NAME, f"assigning LoadBalancer addresses from {pool}")

    def step():
        services = api.get("/api/v1/services")["items"]
        used = set()
        for svc in services:
            for ing in svc.get("status", {}).get("loadBalancer", {}).get("ingress", []) or []:
                if ing.get("ip"):
                    used.add(ing["ip"])
        for svc in services:
            meta, spec = svc["metadata"], svc["spec"]
            path = f"/api/v1/namespaces/{meta['namespace']}/services/{meta['name']}"
            current = svc.get("status", {}).get("loadBalancer", {}).get("ingress", []) or []
            if spec.get("type") != "LoadBalancer":
                # A Service that stopped being a LoadBalancer gives its pool address back.
                if any(_in_pool(i.get("ip"), pool) for i in current):
                    api.merge_patch_status(path, {"loadBalancer": {"ingress": None}})
                    log(NAME, f"released {meta['namespace']}/{meta['name']}")
                continue
            if current:
                continue
            ip = _choose(spec.get("loadBalancerIP"), pool, used)
            if ip is None:
                log(NAME, f"pool {pool} exhausted; {meta['namespace']}/{meta['name']} stays pending")
                continue
            used.add(ip)
            api.merge_patch_status(path, {"loadBalancer": {"ingress": [{"ip": ip}]}})
            log(NAME, f"assigned {ip} to {meta['namespace']}/{meta['name']}")

    run_forever(NAME, step)


def _in_pool(ip, pool):
    try:
        return ip is not None and ipaddress.ip_address(ip) in pool
    except ValueError:
        return False


def _choose(requested, pool, used):
    if requested:
        # A requested address outside the pool or taken cannot be honoured: stay pending, like a cloud would.
        return requested if _in_pool(requested, pool) and requested not in used else None
    for host in pool.hosts():
        if str(host) not in used:
            return str(host)
    return None


if __name__ == "__main__":
    main()
