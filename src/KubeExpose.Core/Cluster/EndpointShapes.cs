using System.Globalization;
using System.Text.Json.Nodes;
using k8s.Models;
using KubeExpose.Core.Routing;

namespace KubeExpose.Core.Cluster;

/// <summary>
/// Maps the three endpoints APIs to <see cref="EndpointGroup"/>s, so the model gives the same answer from each:
/// discovery.k8s.io/v1 EndpointSlices (typed), discovery.k8s.io/v1beta1 EndpointSlices (raw JSON: the client has no
/// type for them; the node is in nodeName or, before 1.20, topology kubernetes.io/hostname) and v1 Endpoints
/// (addresses are ready, notReadyAddresses are not).
/// </summary>
public static class EndpointShapes
{
    public const string ServiceNameLabel = "kubernetes.io/service-name";

    public static EndpointGroup? FromV1Slice(V1EndpointSlice slice)
    {
        if (slice.Metadata.Labels?.TryGetValue(ServiceNameLabel, out var service) != true)
        {
            return null;
        }

        var ports = (slice.Ports ?? []).Where(p => p.Port is not null)
            .Select(p => new EndpointPortInfo(p.Name ?? string.Empty, p.Port!.Value, p.Protocol ?? "TCP")).ToList();
        var addresses = (slice.Endpoints ?? []).SelectMany(e => (e.Addresses ?? []).Select(ip => new EndpointAddressInfo(
            ip, e.Conditions?.Ready ?? true, e.TargetRef?.Kind == "Pod" ? e.TargetRef.Name : null,
            e.NodeName ?? (e.DeprecatedTopology?.TryGetValue("kubernetes.io/hostname", out var host) == true ? host : null), e.Hostname))).ToList();
        return new EndpointGroup(slice.Metadata.NamespaceProperty ?? "default", service!, ports, addresses);
    }

    /// <summary>Maps one discovery.k8s.io/v1beta1 EndpointSlice as JSON (numbers may arrive as strings from YAML).</summary>
    public static EndpointGroup? FromV1Beta1Slice(JsonNode slice)
    {
        var metadata = slice["metadata"];
        var service = metadata?["labels"]?[ServiceNameLabel]?.ToString();
        if (service is null)
        {
            return null;
        }

        var ports = (slice["ports"]?.AsArray() ?? []).Where(p => p?["port"] is not null)
            .Select(p => new EndpointPortInfo(p!["name"]?.ToString() ?? string.Empty, Int(p["port"]!), p["protocol"]?.ToString() ?? "TCP")).ToList();
        var addresses = new List<EndpointAddressInfo>();
        foreach (var e in slice["endpoints"]?.AsArray() ?? [])
        {
            var ready = e?["conditions"]?["ready"] is { } r ? Bool(r) : true;
            var targetRef = e?["targetRef"];
            var pod = targetRef?["kind"]?.ToString() == "Pod" ? targetRef["name"]?.ToString() : null;
            var node = e?["nodeName"]?.ToString() ?? e?["topology"]?["kubernetes.io/hostname"]?.ToString();
            foreach (var ip in e?["addresses"]?.AsArray() ?? [])
            {
                addresses.Add(new EndpointAddressInfo(ip!.ToString(), ready, pod, node, e?["hostname"]?.ToString()));
            }
        }

        return new EndpointGroup(metadata?["namespace"]?.ToString() ?? "default", service, ports, addresses);
    }

    public static IEnumerable<EndpointGroup> FromEndpoints(V1Endpoints endpoints)
    {
        var ns = endpoints.Metadata.NamespaceProperty ?? "default";
        foreach (var subset in endpoints.Subsets ?? [])
        {
            var ports = (subset.Ports ?? []).Select(p => new EndpointPortInfo(p.Name ?? string.Empty, p.Port, p.Protocol ?? "TCP")).ToList();
            var addresses = (subset.Addresses ?? []).Select(a => Address(a, true))
                .Concat((subset.NotReadyAddresses ?? []).Select(a => Address(a, false))).ToList();
            yield return new EndpointGroup(ns, endpoints.Metadata.Name, ports, addresses);
        }
    }

    private static EndpointAddressInfo Address(V1EndpointAddress a, bool ready) =>
        new(a.Ip, ready, a.TargetRef?.Kind == "Pod" ? a.TargetRef.Name : null, a.NodeName, a.Hostname);

    private static int Int(JsonNode node) =>
        node.GetValueKind() == System.Text.Json.JsonValueKind.Number ? node.GetValue<int>() : int.Parse(node.ToString(), CultureInfo.InvariantCulture);

    private static bool Bool(JsonNode node) =>
        node.GetValueKind() switch
        {
            System.Text.Json.JsonValueKind.True => true,
            System.Text.Json.JsonValueKind.False => false,
            _ => bool.Parse(node.ToString()),
        };
}
