using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using KubeExpose.Core.Exposure;

namespace KubeExpose.Core.Cluster;

/// <summary>
/// Reads what the planner needs to know about the cluster: whether it has provisioned a load balancer, its
/// IngressClasses, node ports in use, and the TLS Secret's type. Cluster-wide reads fall back to the namespace
/// (or to "unknown") when RBAC forbids them, instead of failing the command.
/// </summary>
internal static class ClusterFactsReader
{
    private static readonly TimeSpan StalePendingAfter = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Reads the facts this request can use: a plain ClusterIP, headless or ExternalName Service needs no cluster-wide
    /// Service list (load balancers, node ports) and no IngressClasses, so those calls are not made for it.
    /// </summary>
    public static async Task<ClusterFacts> ReadAsync(IKubernetes client, string ns, ExposureRequest request,
        IProgress<string>? progress, CancellationToken ct)
    {
        var tlsSecret = request.TlsSecret;
        progress?.Report("Reading Services, IngressClasses and the TLS Secret");
        var services = NeedsServices(request) ? await ReadServicesAsync(client, ns, ct).ConfigureAwait(false) : [];
        ColdPathTiming.Mark("facts: services listed");
        var lb = services.FirstOrDefault(s => s.Spec?.Type == "LoadBalancer" && s.Status?.LoadBalancer?.Ingress is { Count: > 0 });
        // A provisioner answers within seconds; one that has not for this long is not running (any more).
        var stale = services.FirstOrDefault(s => s.Spec?.Type == "LoadBalancer" && s.Status?.LoadBalancer?.Ingress is not { Count: > 0 }
            && s.Metadata.CreationTimestamp is { } created && DateTime.UtcNow - created.ToUniversalTime() > StalePendingAfter);
        var inUse = new Dictionary<int, string>();
        foreach (var s in services)
        {
            foreach (var p in s.Spec?.Ports ?? [])
            {
                if (p.NodePort is { } np and > 0)
                {
                    inUse[np] = $"{s.Metadata.NamespaceProperty}/{s.Metadata.Name}";
                }
            }
        }

        var (classes, classesReadable) = NeedsIngressClasses(request)
            ? await ReadIngressClassesAsync(client, ct).ConfigureAwait(false)
            : ((IReadOnlyList<IngressClassFact>)[], true);

        string? secretType = null;
        if (tlsSecret is not null)
        {
            try
            {
                var secret = await client.CoreV1.ReadNamespacedSecretAsync(tlsSecret, ns, cancellationToken: ct).ConfigureAwait(false);
                secretType = secret.Type ?? "Opaque";
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
            {
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw ApiErrors.Map(e, "get", "secrets", ns, tlsSecret);
            }
        }

        return new ClusterFacts
        {
            ProvisionedLoadBalancer = lb is null ? null : $"{lb.Metadata.NamespaceProperty}/{lb.Metadata.Name}",
            StalePendingLoadBalancer = stale is null ? null : $"{stale.Metadata.NamespaceProperty}/{stale.Metadata.Name}",
            IngressClasses = classes,
            IngressClassesReadable = classesReadable,
            NodePortsInUse = inUse,
            TlsSecretType = secretType,
        };
    }

    // Load balancers (for -External's choice) and node ports in use matter only to Services that get node ports.
    private static bool NeedsServices(ExposureRequest request) =>
        request.External || request.NodePorts is { Count: > 0 } || request.LoadBalancerClass is not null ||
        request.LoadBalancerSourceRanges is { Count: > 0 } || request.ExternalTrafficPolicy is not null ||
        (request.Type is not null && !WithoutNodePorts.Contains(request.Type));

    private static readonly HashSet<string> WithoutNodePorts = new(StringComparer.OrdinalIgnoreCase) { "ClusterIP", "Headless", "ExternalName" };

    private static bool NeedsIngressClasses(ExposureRequest request) =>
        request.External || request.Ingress || request.IngressClass is not null || request.IngressHosts is { Count: > 0 } ||
        request.IngressPath is not null || request.TlsSecret is not null;

    // Readable false when RBAC (or an old API server) hides them; the decision then says so.
    private static async Task<(IReadOnlyList<IngressClassFact> Classes, bool Readable)> ReadIngressClassesAsync(IKubernetes client, CancellationToken ct)
    {
        try
        {
            var list = await client.NetworkingV1.ListIngressClassAsync(cancellationToken: ct).ConfigureAwait(false);
            return (list.Items.Select(c => new IngressClassFact(c.Metadata.Name,
                c.Metadata.Annotations?.TryGetValue("ingressclass.kubernetes.io/is-default-class", out var d) == true && d == "true",
                c.Spec?.Controller)).ToList(), true);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound)
        {
            return ([], false);
        }
    }

    private static async Task<IList<V1Service>> ReadServicesAsync(IKubernetes client, string ns, CancellationToken ct)
    {
        try
        {
            return (await client.CoreV1.ListServiceForAllNamespacesAsync(cancellationToken: ct).ConfigureAwait(false)).Items;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Forbidden)
        {
            // Node ports and load balancers are cluster-wide facts; the namespace is the best we may see.
        }

        try
        {
            return (await client.CoreV1.ListNamespacedServiceAsync(ns, cancellationToken: ct).ConfigureAwait(false)).Items;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw ApiErrors.Map(e, "list", "services", ns);
        }
    }
}
