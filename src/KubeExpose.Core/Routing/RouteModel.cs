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
        bool Wanted(string name) => wantedSet is null || wantedSet.Contains(name);

        var analyses = new Dictionary<(V1Service, V1ServicePort), ServicePortAnalysis>();
        ServicePortAnalysis Analyse(V1Service s, V1ServicePort p)
        {
            if (!analyses.TryGetValue((s, p), out var a))
            {
                analyses[(s, p)] = a = ServicePortAnalysis.Analyse(index, s, p);
            }

            return a;
        }

        // Ingress routes first, bucketed by their backend Service, so each Service's routes can be ordered on their own:
        // sorting a handful of routes per Service is linear overall, a global sort of every route is not.
        var ingressRoutes = new Dictionary<(string Ns, string Service), List<Route>>();
        foreach (var ingress in snapshot.Ingresses)
        {
            foreach (var route in IngressRoutes.For(ingress, index, Analyse, Wanted))
            {
                var key = (route.Namespace, route.Service);
                if (!ingressRoutes.TryGetValue(key, out var bucket))
                {
                    ingressRoutes[key] = bucket = [];
                }

                bucket.Add(route);
            }
        }

        var routes = new List<Route>();
        var domain = snapshot.ClusterDomain;
        // The Services in scope by (namespace, name), in snapshot order within a key.
        var byKey = new Dictionary<(string Ns, string Name), List<V1Service>>();
        foreach (var s in snapshot.Services)
        {
            if (!Wanted(s.Metadata.Name))
            {
                continue;
            }

            var key = (s.Metadata.NamespaceProperty ?? "default", s.Metadata.Name);
            if (!byKey.TryGetValue(key, out var same))
            {
                byKey[key] = same = [];
            }

            same.Add(s);
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
        foreach (var key in keys)
        {
            var own = new List<Route>();
            foreach (var service in byKey.GetValueOrDefault(key) ?? [])
            {
                foreach (var port in PortsOf(service))
                {
                    var a = Analyse(service, port);
                    if (ServiceShape.IsExternalName(service))
                    {
                        own.AddRange(ExternalNameRoutes.For(a, domain));
                        continue;
                    }

                    own.AddRange(ClusterIpRoutes.For(a));
                    own.AddRange(DnsRoutes.For(a, domain));
                    own.AddRange(EnvVarRoutes.For(a, index));
                    own.AddRange(HeadlessRoutes.For(a, index, domain));
                    own.AddRange(NodePortRoutes.For(a, index));
                    own.AddRange(LoadBalancerRoutes.For(a));
                    own.AddRange(ExternalIpRoutes.For(a, index));
                    own.AddRange(HostRoutes.For(a, index));
                    own.AddRange(ApiServerProxyRoutes.For(a));
                }
            }

            own.AddRange(ingressRoutes.GetValueOrDefault(key) ?? []);
            AddInOrder(routes, own);
        }

        var known = snapshot.Services.Select(s => s.Metadata.Name).ToHashSet(StringComparer.Ordinal);
        var unknown = services?.Where(s => !known.Contains(s)).Distinct(StringComparer.Ordinal).ToList() ?? [];
        return new RouteSet(routes, unknown);
    }

    /// <summary>
    /// Appends one Service's routes ordered by Service port (ordinal) then vantage. Stable: within a port and vantage
    /// the families keep the order they were built in. Same order as OrderBy/ThenBy, without its per-Service key
    /// arrays and enumerators (this runs once per Service).
    /// </summary>
    private static void AddInOrder(List<Route> routes, List<Route> own)
    {
        var order = new int[own.Count];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        Array.Sort(order, (x, y) =>
        {
            var byPort = string.CompareOrdinal(own[x].ServicePort, own[y].ServicePort);
            if (byPort != 0)
            {
                return byPort;
            }

            var byVantage = ((int)own[x].Vantage).CompareTo((int)own[y].Vantage);
            return byVantage != 0 ? byVantage : x.CompareTo(y);
        });
        foreach (var i in order)
        {
            routes.Add(own[i]);
        }
    }

    /// <summary>The Service's ports; an ExternalName Service without ports still gets its CNAME route (port "*").</summary>
    private static IEnumerable<V1ServicePort> PortsOf(V1Service service) =>
        service.Spec?.Ports is { Count: > 0 } ports ? ports
        : ServiceShape.IsExternalName(service) ? [new V1ServicePort { Name = "*", Port = 0 }] : [];
}
