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

        var routes = new List<Route>();
        var domain = snapshot.ClusterDomain;
        foreach (var service in snapshot.Services.Where(s => Wanted(s.Metadata.Name)))
        {
            foreach (var port in PortsOf(service))
            {
                var a = Analyse(service, port);
                if (ServiceShape.IsExternalName(service))
                {
                    routes.AddRange(ExternalNameRoutes.For(a, domain));
                    continue;
                }

                routes.AddRange(ClusterIpRoutes.For(a));
                routes.AddRange(DnsRoutes.For(a, domain));
                routes.AddRange(EnvVarRoutes.For(a, index));
                routes.AddRange(HeadlessRoutes.For(a, index, domain));
                routes.AddRange(NodePortRoutes.For(a, index));
                routes.AddRange(LoadBalancerRoutes.For(a));
                routes.AddRange(ExternalIpRoutes.For(a, index));
                routes.AddRange(HostRoutes.For(a, index));
                routes.AddRange(ApiServerProxyRoutes.For(a));
            }
        }

        foreach (var ingress in snapshot.Ingresses)
        {
            routes.AddRange(IngressRoutes.For(ingress, index, Analyse, Wanted));
        }

        var known = snapshot.Services.Select(s => s.Metadata.Name).ToHashSet(StringComparer.Ordinal);
        var unknown = services?.Where(s => !known.Contains(s)).Distinct(StringComparer.Ordinal).ToList() ?? [];
        var ordered = routes.OrderBy(r => r.Namespace, StringComparer.Ordinal).ThenBy(r => r.Service, StringComparer.Ordinal)
            .ThenBy(r => r.ServicePort, StringComparer.Ordinal).ThenBy(r => r.Vantage).ToList(); // stable: keeps family order
        return new RouteSet(ordered, unknown);
    }

    /// <summary>The Service's ports; an ExternalName Service without ports still gets its CNAME route (port "*").</summary>
    private static IEnumerable<V1ServicePort> PortsOf(V1Service service) =>
        service.Spec?.Ports is { Count: > 0 } ports ? ports
        : ServiceShape.IsExternalName(service) ? [new V1ServicePort { Name = "*", Port = 0 }] : [];
}
