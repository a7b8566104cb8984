using k8s.Models;
using KubeExpose.Core.Model;

namespace KubeExpose.Core.Routing;

/// <summary>What the model found: the routes, and the requested Service names that exist nowhere in the snapshot.</summary>
public sealed record RouteSet(IReadOnlyList<Route> Routes, IReadOnlyList<string> UnknownServices);

/// <summary>
/// The routing model: a pure function from a <see cref="ClusterSnapshot"/> to every route to every Service port,
/// from every vantage, with a verdict. Linear in the snapshot: every lookup goes through <see cref="SnapshotIndex"/>.
/// </summary>
public static class RouteModel
{
    /// <param name="snapshot">The cluster state (already limited to the namespace in scope).</param>
    /// <param name="services">Only these Service names; null for all.</param>
    public static RouteSet Build(ClusterSnapshot snapshot, IReadOnlyCollection<string>? services = null)
    {
        var index = new SnapshotIndex(snapshot);
        var wantedSet = services is null ? null : new HashSet<string>(services, StringComparer.Ordinal);

        // Ingress backends and the Services' own ports share one analysis per port (the Ingress asks first). Keyed by
        // the port object itself: hashing the pair of k8s objects cost more than the lookup is worth.
        var analyses = new Dictionary<V1ServicePort, ServicePortAnalysis>(snapshot.Services.Count, ReferenceEqualityComparer.Instance);
        // Delegates made once, not at every call that passes them.
        Func<V1Service, V1ServicePort, ServicePortAnalysis> analyse = (s, p) =>
        {
            if (!analyses.TryGetValue(p, out var a) || !ReferenceEquals(a.Service, s))
            {
                analyses[p] = a = ServicePortAnalysis.Analyse(index, s, p);
            }

            return a;
        };
        Func<string, bool> wanted = name => wantedSet is null || wantedSet.Contains(name);

        // Ingress routes first, bucketed by their backend Service, so each Service's routes can be ordered on their own:
        // sorting a handful of routes per Service is linear overall, a global sort of every route is not.
        var ingressRoutes = new Dictionary<(string Ns, string Service), List<Route>>();
        var expected = 0;
        foreach (var ingress in snapshot.Ingresses)
        {
            foreach (var route in IngressRoutes.For(ingress, index, analyse, wanted))
            {
                var key = (route.Namespace, route.Service);
                if (!ingressRoutes.TryGetValue(key, out var bucket))
                {
                    ingressRoutes[key] = bucket = [];
                }

                bucket.Add(route);
                expected++;
            }
        }

        var domain = snapshot.ClusterDomain;
        // The Services in scope by (namespace, name), in snapshot order within a key.
        var byKey = new Dictionary<(string Ns, string Name), List<V1Service>>(wantedSet is null ? snapshot.Services.Count : 0);
        foreach (var s in snapshot.Services)
        {
            if (!wanted(s.Metadata.Name))
            {
                continue;
            }

            var key = (s.Metadata.NamespaceProperty ?? "default", s.Metadata.Name);
            if (!byKey.TryGetValue(key, out var same))
            {
                byKey[key] = same = [];
            }

            same.Add(s);
            expected += ExpectedRoutes(s, snapshot.Nodes.Count);
        }

        // Ingress backends that name no existing Service still get their (Broken) routes, in the same order.
        // Keys are distinct, so an unstable sort gives the one order: namespace, then name (ordinal).
        var keys = new List<(string Ns, string Name)>(byKey.Keys);
        foreach (var key in ingressRoutes.Keys)
        {
            if (!byKey.ContainsKey(key))
            {
                keys.Add(key);
            }
        }

        keys.Sort(static (x, y) => string.CompareOrdinal(x.Ns, y.Ns) is var byNs and not 0 ? byNs : string.CompareOrdinal(x.Name, y.Name));
        // Sized once from an estimate: growing a list of tens of thousands of routes copies large arrays again and again.
        var routes = new List<Route>(expected);
        var own = new List<Route>(); // one Service's routes, reused from Service to Service
        var order = new ServiceRouteOrder();
        foreach (var key in keys)
        {
            own.Clear();
            if (byKey.TryGetValue(key, out var sameName))
            {
                foreach (var service in sameName)
                {
                    AddServiceRoutes(service, analyse, index, domain, own);
                }
            }

            if (ingressRoutes.TryGetValue(key, out var viaIngress))
            {
                own.AddRange(viaIngress);
            }

            order.AppendInOrder(own, routes);
        }

        IReadOnlyList<string> unknown = [];
        if (services is not null)
        {
            var known = new HashSet<string>(StringComparer.Ordinal);
            foreach (var s in snapshot.Services)
            {
                known.Add(s.Metadata.Name);
            }

            unknown = services.Where(s => !known.Contains(s)).Distinct(StringComparer.Ordinal).ToList();
        }

        return new RouteSet(routes, unknown);
    }

    /// <summary>Every route family of every port of <paramref name="service"/>, family by family within a port.</summary>
    private static void AddServiceRoutes(V1Service service, Func<V1Service, V1ServicePort, ServicePortAnalysis> analyse, SnapshotIndex index,
        string domain, List<Route> own)
    {
        foreach (var port in PortsOf(service))
        {
            var a = analyse(service, port);
            if (ServiceShape.IsExternalName(service))
            {
                ExternalNameRoutes.Add(a, domain, own);
                continue;
            }

            ClusterIpRoutes.Add(a, own);
            DnsRoutes.Add(a, domain, own);
            EnvVarRoutes.Add(a, index, own);
            HeadlessRoutes.Add(a, index, domain, own);
            NodePortRoutes.Add(a, index, own);
            LoadBalancerRoutes.Add(a, own);
            ExternalIpRoutes.Add(a, index, own);
            HostRoutes.Add(a, index, own);
            ApiServerProxyRoutes.Add(a, own);
        }
    }

    /// <summary>About how many routes <paramref name="service"/> gets (exact for the common shapes), to size the result once.</summary>
    private static int ExpectedRoutes(V1Service service, int nodes)
    {
        var ports = Math.Max(service.Spec?.Ports?.Count ?? 1, 1);
        // ClusterIP (2), DNS names (3), SRV, env var, API-server proxy; headless Services trade the first two for per-pod routes.
        var perPort = 8;
        if (ServiceShape.HasNodePorts(service))
        {
            perPort += 2 * nodes + (ServiceShape.Type(service) == "LoadBalancer" ? 1 : 0);
        }

        return ports * perPort;
    }

    /// <summary>The Service's ports; an ExternalName Service without ports still gets its CNAME route (port "*").</summary>
    private static IEnumerable<V1ServicePort> PortsOf(V1Service service) =>
        service.Spec?.Ports is { Count: > 0 } ports ? ports
        : ServiceShape.IsExternalName(service) ? [new V1ServicePort { Name = "*", Port = 0 }] : [];
}
