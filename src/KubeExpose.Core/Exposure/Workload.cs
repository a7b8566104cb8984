using k8s;
using k8s.Models;

namespace KubeExpose.Core.Exposure;

/// <summary>
/// Any exposable object reduced to what exposing needs: its labels, its selector, the pod spec its pods run.
/// Built from the typed objects the API returns, or from YAML (the unit-test fixtures).
/// </summary>
internal sealed class Workload
{
    public required WorkloadKind Kind { get; init; }
    public required string Name { get; init; }
    public required string Namespace { get; init; }
    public IDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>The set-based selector of apps/batch kinds.</summary>
    public V1LabelSelector? Selector { get; init; }

    /// <summary>The equality selector of ReplicationControllers and Services.</summary>
    public IDictionary<string, string>? MapSelector { get; init; }

    /// <summary>The labels every pod of the workload carries (the pod's own labels for a Pod).</summary>
    public IDictionary<string, string> PodLabels { get; init; } = new Dictionary<string, string>();

    /// <summary>The pod spec (template or the pod's own); null for a Service.</summary>
    public V1PodSpec? PodSpec { get; init; }

    /// <summary>The ports of a Service being re-exposed.</summary>
    public IList<V1ServicePort>? ServicePorts { get; init; }

    /// <summary>Replicas the workload asks for, when it says (for the hostPort warning).</summary>
    public int? Replicas { get; init; }

    public WorkloadRef Ref => new(Kind, Name);

    /// <summary>The object as kubectl names it in messages: <c>deployment/web in namespace shop</c>.</summary>
    public string Describe() => $"{Ref} in namespace {Namespace}";

    /// <summary>Reduces a typed API object; throws for kinds that cannot be exposed.</summary>
    public static Workload From(IKubernetesObject<V1ObjectMeta> item, string? defaultNamespace = null)
    {
        var meta = item.Metadata ?? new V1ObjectMeta();
        var ns = meta.NamespaceProperty ?? defaultNamespace ?? "default";
        var labels = meta.Labels ?? new Dictionary<string, string>();
        return item switch
        {
            V1Deployment d => FromTemplate(WorkloadKind.Deployment, meta, ns, labels, d.Spec?.Selector, d.Spec?.Template, d.Spec?.Replicas),
            V1StatefulSet s => FromTemplate(WorkloadKind.StatefulSet, meta, ns, labels, s.Spec?.Selector, s.Spec?.Template, s.Spec?.Replicas),
            V1DaemonSet ds => FromTemplate(WorkloadKind.DaemonSet, meta, ns, labels, ds.Spec?.Selector, ds.Spec?.Template, null),
            V1ReplicaSet rs => FromTemplate(WorkloadKind.ReplicaSet, meta, ns, labels, rs.Spec?.Selector, rs.Spec?.Template, rs.Spec?.Replicas),
            V1Job j => FromTemplate(WorkloadKind.Job, meta, ns, labels, j.Spec?.Selector, j.Spec?.Template, j.Spec?.Parallelism),
            V1ReplicationController rc => new Workload
            {
                Kind = WorkloadKind.ReplicationController, Name = meta.Name, Namespace = ns, Labels = labels,
                MapSelector = rc.Spec?.Selector,
                PodLabels = rc.Spec?.Template?.Metadata?.Labels ?? new Dictionary<string, string>(),
                PodSpec = rc.Spec?.Template?.Spec, Replicas = rc.Spec?.Replicas,
            },
            V1Pod p => new Workload
            {
                Kind = WorkloadKind.Pod, Name = meta.Name, Namespace = ns, Labels = labels,
                PodLabels = labels, PodSpec = p.Spec, Replicas = 1,
            },
            V1Service svc => new Workload
            {
                Kind = WorkloadKind.Service, Name = meta.Name, Namespace = ns, Labels = labels,
                MapSelector = svc.Spec?.Selector, ServicePorts = svc.Spec?.Ports,
            },
            _ => throw new KubeExposeException(KubeExposeErrorKind.InvalidArgument, "UnsupportedWorkloadKind",
                $"Cannot expose a {item.Kind}: use a Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, Pod or Service.",
                $"{item.Kind}/{meta.Name}"),
        };
    }

    /// <summary>Reads one object from YAML (any of the accepted kinds, by its kind field).</summary>
    public static Workload FromYaml(string yaml, string? defaultNamespace = null)
    {
        var objects = KubernetesYaml.LoadAllFromString(yaml, ExposableTypes);
        if (objects.Count != 1 || objects[0] is not IKubernetesObject<V1ObjectMeta> item)
        {
            throw new KubeExposeException(KubeExposeErrorKind.InvalidArgument, "InvalidWorkloadYaml",
                "The YAML must hold exactly one Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, Pod or Service.");
        }

        return From(item, defaultNamespace);
    }

    /// <summary>The apiVersion/kind → type map for the YAML reader.</summary>
    internal static readonly Dictionary<string, Type> ExposableTypes = new()
    {
        ["apps/v1/Deployment"] = typeof(V1Deployment),
        ["apps/v1/StatefulSet"] = typeof(V1StatefulSet),
        ["apps/v1/DaemonSet"] = typeof(V1DaemonSet),
        ["apps/v1/ReplicaSet"] = typeof(V1ReplicaSet),
        ["batch/v1/Job"] = typeof(V1Job),
        ["v1/ReplicationController"] = typeof(V1ReplicationController),
        ["v1/Pod"] = typeof(V1Pod),
        ["v1/Service"] = typeof(V1Service),
    };

    private static Workload FromTemplate(WorkloadKind kind, V1ObjectMeta meta, string ns, IDictionary<string, string> labels,
        V1LabelSelector? selector, V1PodTemplateSpec? template, int? replicas) => new()
    {
        Kind = kind, Name = meta.Name, Namespace = ns, Labels = labels, Selector = selector,
        PodLabels = template?.Metadata?.Labels ?? new Dictionary<string, string>(),
        PodSpec = template?.Spec, Replicas = replicas,
    };
}
