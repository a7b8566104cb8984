namespace KubeExpose.Core.Tunnels;

/// <summary>The kinds of object a port-forward can point at.</summary>
public enum ForwardTargetKind
{
    Pod,
    Service,
    Deployment,
    ReplicaSet,
    StatefulSet,
    DaemonSet,
}

/// <summary>
/// A port-forward target as kubectl writes it: <c>TYPE/NAME</c> with kubectl's type names, short names and plurals
/// (<c>svc/web</c>, <c>deployment.apps/web</c>), or a bare NAME meaning a pod.
/// </summary>
public sealed record ForwardTarget(ForwardTargetKind Kind, string Name)
{
    private static readonly Dictionary<string, ForwardTargetKind> Kinds = new(StringComparer.OrdinalIgnoreCase)
    {
        ["pod"] = ForwardTargetKind.Pod, ["pods"] = ForwardTargetKind.Pod, ["po"] = ForwardTargetKind.Pod,
        ["service"] = ForwardTargetKind.Service, ["services"] = ForwardTargetKind.Service, ["svc"] = ForwardTargetKind.Service,
        ["deployment"] = ForwardTargetKind.Deployment, ["deployments"] = ForwardTargetKind.Deployment, ["deploy"] = ForwardTargetKind.Deployment,
        ["deployment.apps"] = ForwardTargetKind.Deployment, ["deployments.apps"] = ForwardTargetKind.Deployment,
        ["replicaset"] = ForwardTargetKind.ReplicaSet, ["replicasets"] = ForwardTargetKind.ReplicaSet, ["rs"] = ForwardTargetKind.ReplicaSet,
        ["replicaset.apps"] = ForwardTargetKind.ReplicaSet, ["replicasets.apps"] = ForwardTargetKind.ReplicaSet,
        ["statefulset"] = ForwardTargetKind.StatefulSet, ["statefulsets"] = ForwardTargetKind.StatefulSet, ["sts"] = ForwardTargetKind.StatefulSet,
        ["statefulset.apps"] = ForwardTargetKind.StatefulSet, ["statefulsets.apps"] = ForwardTargetKind.StatefulSet,
        ["daemonset"] = ForwardTargetKind.DaemonSet, ["daemonsets"] = ForwardTargetKind.DaemonSet, ["ds"] = ForwardTargetKind.DaemonSet,
        ["daemonset.apps"] = ForwardTargetKind.DaemonSet, ["daemonsets.apps"] = ForwardTargetKind.DaemonSet,
    };

    public static ForwardTarget Parse(string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            return new ForwardTarget(ForwardTargetKind.Pod, Validate(text, text.Trim()));
        }

        var type = text[..slash].Trim();
        if (!Kinds.TryGetValue(type, out var kind))
        {
            throw new KubeExposeException(KubeExposeErrorKind.InvalidArgument, "UnsupportedTargetType",
                $"Cannot forward to '{text}': '{type}' is not a pod, service, deployment, replicaset, statefulset or daemonset. " +
                "Write the target as TYPE/NAME, for example svc/web or deploy/web.", text);
        }

        return new ForwardTarget(kind, Validate(text, text[(slash + 1)..].Trim()));
    }

    private static string Validate(string text, string name) =>
        name.Length > 0 && !name.Contains('/', StringComparison.Ordinal)
            ? name
            : throw new KubeExposeException(KubeExposeErrorKind.InvalidArgument, "InvalidTarget",
                $"Cannot forward to '{text}': expected TYPE/NAME (for example svc/web) or a pod name.", text);

    /// <summary>kubectl's short spelling, used in tunnel listings: pod/web-1, svc/web, deploy/web.</summary>
    public override string ToString() => Kind switch
    {
        ForwardTargetKind.Pod => "pod",
        ForwardTargetKind.Service => "svc",
        ForwardTargetKind.Deployment => "deploy",
        ForwardTargetKind.ReplicaSet => "rs",
        ForwardTargetKind.StatefulSet => "sts",
        _ => "ds",
    } + "/" + Name;
}
