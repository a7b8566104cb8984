using System.Text.Json.Nodes;

namespace KubeExpose.Core.Exposure;

/// <summary>
/// The server-side apply configuration that adds hostPorts to a workload's pod template: only the keys of the
/// containers and ports touched, so kubeexpose owns exactly the hostPort fields and nothing else.
/// </summary>
internal static class HostPortApply
{
    public static JsonObject Build(Workload workload, IReadOnlyList<HostPortPatch> patches)
    {
        var (apiVersion, kind) = workload.Kind switch
        {
            WorkloadKind.Deployment => ("apps/v1", "Deployment"),
            WorkloadKind.StatefulSet => ("apps/v1", "StatefulSet"),
            WorkloadKind.DaemonSet => ("apps/v1", "DaemonSet"),
            WorkloadKind.ReplicaSet => ("apps/v1", "ReplicaSet"),
            WorkloadKind.ReplicationController => ("v1", "ReplicationController"),
            _ => throw new InvalidOperationException($"{workload.Kind} has no pod template to patch."),
        };

        JsonArray Containers(bool init) => new(patches.Where(p => p.IsInitContainer == init).GroupBy(p => p.Container)
            .Select(g => (JsonNode)new JsonObject
            {
                ["name"] = g.Key,
                ["ports"] = new JsonArray(g.Select(p => (JsonNode)new JsonObject
                {
                    ["containerPort"] = p.ContainerPort,
                    ["protocol"] = p.Protocol,
                    ["hostPort"] = p.HostPort,
                }).ToArray()),
            }).ToArray());

        var podSpec = new JsonObject();
        if (patches.Any(p => !p.IsInitContainer))
        {
            podSpec["containers"] = Containers(false);
        }

        if (patches.Any(p => p.IsInitContainer))
        {
            podSpec["initContainers"] = Containers(true);
        }

        return new JsonObject
        {
            ["apiVersion"] = apiVersion,
            ["kind"] = kind,
            ["metadata"] = new JsonObject { ["name"] = workload.Name, ["namespace"] = workload.Namespace },
            ["spec"] = new JsonObject { ["template"] = new JsonObject { ["spec"] = podSpec } },
        };
    }
}
