using KubeExpose.Core.Model;

namespace KubeExpose.Core.Routing;

/// <summary>
/// A headless Service has no virtual IP: clients reach each pod directly. One route per endpoint, with the pod's own
/// verdict (ready or not) and its per-pod DNS name as a note. Address is the pod IP, so it can be connected to.
/// </summary>
internal static class HeadlessRoutes
{
    public static IEnumerable<Route> For(ServicePortAnalysis a, SnapshotIndex index, string clusterDomain)
    {
        if (!ServiceShape.IsHeadless(a.Service))
        {
            yield break;
        }

        var full = ServiceShape.DnsName(a.Service, clusterDomain);
        var hostnames = index.Endpoints(a.Namespace, a.Name).SelectMany(g => g.Addresses)
            .Where(x => x.Hostname is not null).ToDictionary(x => x.Ip, x => x.Hostname!);
        foreach (var backend in a.Backends)
        {
            var label = hostnames.TryGetValue(backend.Address, out var host) ? host : backend.Address.Replace('.', '-').Replace(':', '-');
            var extra = new List<Diagnosis> { FindingCatalog.HeadlessPodName($"{label}.{full}") };
            if (!backend.Ready)
            {
                extra.Add(FindingCatalog.EndpointNotReady(a.Namespace, backend.Pod ?? backend.Address));
            }

            yield return RouteBuilder.Make(a, Vantage.Pod, RouteKind.Headless, backend.Address, backend.Port, extra, backends: [backend], inherit: false);
        }
    }
}
