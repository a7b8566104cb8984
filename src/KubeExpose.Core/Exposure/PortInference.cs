namespace KubeExpose.Core.Exposure;

/// <summary>
/// The ports a workload declares, with their names and protocols — from the containers and from native sidecars
/// (initContainers with restartPolicy Always), which kubectl ignores (kubernetes#127958).
/// </summary>
internal static class PortInference
{
    public static IReadOnlyList<InferredPort> Infer(Workload workload)
    {
        if (workload.Kind == WorkloadKind.Service)
        {
            return (workload.ServicePorts ?? []).Select(p => new InferredPort(p.Name, p.Port, p.Protocol ?? "TCP", null, false,
                p.TargetPort?.Value)).ToList();
        }

        var spec = workload.PodSpec;
        if (spec is null)
        {
            return [];
        }

        var ports = new List<InferredPort>();
        var seen = new HashSet<(int, string)>();
        void Add(k8s.Models.V1Container container, bool sidecar)
        {
            foreach (var p in container.Ports ?? [])
            {
                var protocol = string.IsNullOrEmpty(p.Protocol) ? "TCP" : p.Protocol;
                if (seen.Add((p.ContainerPort, protocol)))
                {
                    ports.Add(new InferredPort(string.IsNullOrEmpty(p.Name) ? null : p.Name, p.ContainerPort, protocol, container.Name, sidecar));
                }
            }
        }

        foreach (var c in spec.Containers ?? [])
        {
            Add(c, false);
        }

        foreach (var c in (spec.InitContainers ?? []).Where(c => c.RestartPolicy == "Always"))
        {
            Add(c, true);
        }

        return ports;
    }
}
