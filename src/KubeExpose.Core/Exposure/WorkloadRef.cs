namespace KubeExpose.Core.Exposure;

/// <summary>A workload named the way kubectl names it: <c>deploy/web</c>, <c>deployment.apps/web</c>, <c>sts/db</c>…</summary>
public sealed record WorkloadRef(WorkloadKind Kind, string Name)
{
    // kubectl's short names, singular/plural resource names and group-qualified forms all resolve here.
    private static readonly Dictionary<string, WorkloadKind> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["deploy"] = WorkloadKind.Deployment, ["deployment"] = WorkloadKind.Deployment, ["deployments"] = WorkloadKind.Deployment,
        ["deployment.apps"] = WorkloadKind.Deployment, ["deployments.apps"] = WorkloadKind.Deployment,
        ["sts"] = WorkloadKind.StatefulSet, ["statefulset"] = WorkloadKind.StatefulSet, ["statefulsets"] = WorkloadKind.StatefulSet,
        ["statefulset.apps"] = WorkloadKind.StatefulSet, ["statefulsets.apps"] = WorkloadKind.StatefulSet,
        ["ds"] = WorkloadKind.DaemonSet, ["daemonset"] = WorkloadKind.DaemonSet, ["daemonsets"] = WorkloadKind.DaemonSet,
        ["daemonset.apps"] = WorkloadKind.DaemonSet, ["daemonsets.apps"] = WorkloadKind.DaemonSet,
        ["rs"] = WorkloadKind.ReplicaSet, ["replicaset"] = WorkloadKind.ReplicaSet, ["replicasets"] = WorkloadKind.ReplicaSet,
        ["replicaset.apps"] = WorkloadKind.ReplicaSet, ["replicasets.apps"] = WorkloadKind.ReplicaSet,
        ["rc"] = WorkloadKind.ReplicationController, ["replicationcontroller"] = WorkloadKind.ReplicationController,
        ["replicationcontrollers"] = WorkloadKind.ReplicationController,
        ["job"] = WorkloadKind.Job, ["jobs"] = WorkloadKind.Job, ["job.batch"] = WorkloadKind.Job, ["jobs.batch"] = WorkloadKind.Job,
        ["po"] = WorkloadKind.Pod, ["pod"] = WorkloadKind.Pod, ["pods"] = WorkloadKind.Pod,
        ["svc"] = WorkloadKind.Service, ["service"] = WorkloadKind.Service, ["services"] = WorkloadKind.Service,
    };

    /// <summary>The kubectl resource name of the kind, for messages and kubectl commands: <c>deployment/web</c>.</summary>
    public override string ToString() => $"{ResourceName(Kind)}/{Name}";

    /// <summary>kubectl's lower-case resource name for a kind.</summary>
    public static string ResourceName(WorkloadKind kind) => kind.ToString().ToLowerInvariant();

    /// <summary>Parses <c>TYPE/NAME</c>. Throws an InvalidArgument <see cref="KubeExposeException"/> naming the accepted forms.</summary>
    public static WorkloadRef Parse(string text)
    {
        var slash = text.IndexOf('/');
        if (slash <= 0 || slash == text.Length - 1 || text.IndexOf('/', slash + 1) >= 0)
        {
            throw new KubeExposeException(KubeExposeErrorKind.InvalidArgument, "InvalidWorkloadReference",
                $"'{text}' is not a workload reference. Write it as kubectl does, TYPE/NAME: deploy/web, sts/db, ds/agent, " +
                "rs/web-1, rc/legacy, job/batch, pod/web-0 or svc/web (or use -Kind and -Name).", text);
        }

        var type = text[..slash];
        var name = text[(slash + 1)..];
        if (!TryParseKind(type, out var kind))
        {
            throw new KubeExposeException(KubeExposeErrorKind.InvalidArgument, "UnsupportedWorkloadKind",
                $"Cannot expose a '{type}': Expose-Workload exposes deployments (deploy), statefulsets (sts), daemonsets (ds), " +
                "replicasets (rs), replicationcontrollers (rc), jobs, pods (po) and services (svc).", text);
        }

        return new WorkloadRef(kind, name);
    }

    /// <summary>Resolves a kind as kubectl spells it (short name, plural, <c>kind.group</c>) or as the Kind field does.</summary>
    public static bool TryParseKind(string text, out WorkloadKind kind)
    {
        if (Aliases.TryGetValue(text, out kind))
        {
            return true;
        }

        // kind.group as kubectl prints it (deployments.apps, jobs.batch): the group must be the kind's own.
        var dot = text.IndexOf('.');
        if (dot > 0 && Aliases.TryGetValue(text[..dot], out kind))
        {
            var group = text[(dot + 1)..];
            return kind switch
            {
                WorkloadKind.Job => group == "batch",
                WorkloadKind.Pod or WorkloadKind.Service or WorkloadKind.ReplicationController => group is "" or "core",
                _ => group is "apps" or "extensions",
            };
        }

        return Enum.TryParse(text, ignoreCase: true, out kind) && !int.TryParse(text, out _);
    }
}
