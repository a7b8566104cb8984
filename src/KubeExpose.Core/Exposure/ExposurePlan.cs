using k8s;
using k8s.Models;

namespace KubeExpose.Core.Exposure;

/// <summary>
/// The objects one Expose-Workload call writes: the Service, an optional Ingress and optional hostPort patches of the
/// workload's pod template, with the method chosen and why. Pure data: building it sends nothing.
/// </summary>
public sealed class ExposurePlan
{
    internal ExposurePlan(Workload workload, V1Service service, V1Ingress? ingress, IReadOnlyList<HostPortPatch> hostPorts,
        string method, string reason, IReadOnlyList<string> warnings)
    {
        Workload = workload;
        ServiceManifest = service;
        IngressManifest = ingress;
        HostPorts = hostPorts;
        Method = method;
        Reason = reason;
        Warnings = warnings;
    }

    internal Workload Workload { get; }
    internal V1Service ServiceManifest { get; }
    internal V1Ingress? IngressManifest { get; }

    public string Namespace => Workload.Namespace;

    /// <summary>The workload as kubectl names it: <c>deployment/web</c>.</summary>
    public string WorkloadName => Workload.Ref.ToString();
    public WorkloadKind WorkloadKind => Workload.Kind;
    public string ServiceName => ServiceManifest.Metadata.Name;
    public string? IngressName => IngressManifest?.Metadata.Name;

    /// <summary>The Service type written (ClusterIP, NodePort, LoadBalancer, ExternalName; Headless is ClusterIP with clusterIP None).</summary>
    public string ServiceType => ServiceManifest.Spec.ClusterIP == "None" ? "Headless" : ServiceManifest.Spec.Type;

    /// <summary>How the workload is reached: the Service type, or Ingress when an Ingress is the way in.</summary>
    public string Method { get; }
    public string Reason { get; }
    public IReadOnlyList<HostPortPatch> HostPorts { get; }
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>The objects as <c>kind/name</c> in write order, for ShouldProcess and messages.</summary>
    public IReadOnlyList<string> Objects =>
    [
        $"service/{ServiceName}",
        .. IngressManifest is null ? Array.Empty<string>() : [$"ingress.networking.k8s.io/{IngressName}"],
        .. HostPorts.Count == 0 ? Array.Empty<string>() : [$"{WorkloadName} (pod template hostPort)"],
    ];

    /// <summary>The manifests as kubectl prints them with -o yaml, separated by <c>---</c>.</summary>
    public string ToYaml() => ManifestYaml.Render(Manifests());

    /// <summary>The manifests to apply, in order: Service, Ingress, then the workload's hostPort patch.</summary>
    internal IReadOnlyList<object> Manifests()
    {
        var list = new List<object> { ServiceManifest };
        if (IngressManifest is not null)
        {
            list.Add(IngressManifest);
        }

        if (HostPorts.Count > 0)
        {
            list.Add(HostPortApply.Build(Workload, HostPorts));
        }

        return list;
    }
}
