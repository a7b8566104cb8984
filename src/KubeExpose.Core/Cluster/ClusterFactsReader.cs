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

    public static async Task<ClusterFacts> ReadAsync(IKubernetes client, string ns, string serviceName, string? tlsSecret,
        IProgress<string>? progress, CancellationToken ct)
    {
        progress?.Report("Reading Services, IngressClasses and the TLS Secret");
        var services = await ReadServicesAsync(client, ns, ct).ConfigureAwait(false);
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

        IReadOnlyList<IngressClassFact> classes = [];
        var classesReadable = true;
        try
        {
            var list = await client.NetworkingV1.ListIngressClassAsync(cancellationToken: ct).ConfigureAwait(false);
            classes = list.Items.Select(c => new IngressClassFact(c.Metadata.Name,
                c.Metadata.Annotations?.TryGetValue("ingressclass.kubernetes.io/is-default-class", out var d) == true && d == "true",
                c.Spec?.Controller)).ToList();
        }
        catch (HttpOperationException e) when (e.Response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound)
        {
            classesReadable = false;
        }

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
            ServiceExists = services.Any(s => s.Metadata.NamespaceProperty == ns && s.Metadata.Name == serviceName),
        };
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
