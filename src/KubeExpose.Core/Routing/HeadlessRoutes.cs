using KubeExpose.Core.Model;

namespace KubeExpose.Core.Routing;

/// <summary>
/// A headless Service has no virtual IP: clients reach each pod directly. One route per endpoint, with the pod's own
/// verdict (ready or not) and its per-pod DNS name as a note. Address is the pod IP, so it can be connected to.
/// </summary>
internal static class HeadlessRoutes
{
    public static void Add(ServicePortAnalysis a, SnapshotIndex index, string clusterDomain, List<Route> routes)
    {
        if (!ServiceShape.IsHeadless(a.Service))
        {
            return;
        }

        var full = ServiceShape.DnsName(a.Service, clusterDomain);
        var hostnames = Hostnames(index.Endpoints(a.Namespace, a.Name));
        for (var i = 0; i < a.Backends.Count; i++)
        {
            var backend = a.Backends[i];
            var label = hostnames.GetValueOrDefault(backend.Address) ?? backend.Address.Replace('.', '-').Replace(':', '-');
            var name = FindingCatalog.HeadlessPodName(label, full);
            routes.Add(backend.Ready
                ? RouteBuilder.Make(a, Vantage.Pod, RouteKind.Headless, backend.Address, backend.Port, name, backends: [backend], inherit: false)
                : RouteBuilder.Make(a, Vantage.Pod, RouteKind.Headless, backend.Address, backend.Port,
                    [name, FindingCatalog.EndpointNotReady(a.Namespace, backend.Pod ?? backend.Address)], backends: [backend], inherit: false));
        }
    }

    private static readonly IReadOnlyDictionary<string, string> NoHostnames = new Dictionary<string, string>();

    /// <summary>The hostname the endpoints give each IP (the first one listed); usually none, and then no dictionary is made.</summary>
    private static IReadOnlyDictionary<string, string> Hostnames(IReadOnlyList<EndpointGroup> groups)
    {
        Dictionary<string, string>? hostnames = null;
        foreach (var group in groups)
        {
            foreach (var address in group.Addresses)
            {
                if (address.Hostname is not null)
                {
                    (hostnames ??= new Dictionary<string, string>(StringComparer.Ordinal)).TryAdd(address.Ip, address.Hostname);
                }
            }
        }

        return hostnames ?? NoHostnames;
    }
}
