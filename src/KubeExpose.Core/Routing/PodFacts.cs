using k8s.Models;

namespace KubeExpose.Core.Routing;

/// <summary>What the model needs to know about a pod, read the way kubelet and the endpoints controller read it.</summary>
internal static class PodFacts
{
    public static string Name(V1Pod pod) => pod.Metadata.Name;

    public static bool IsReady(V1Pod pod) =>
        pod.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;

    public static bool IsRunning(V1Pod pod) => pod.Status?.Phase == "Running";

    public static string Phase(V1Pod pod) => pod.Status?.Phase ?? "Pending";

    /// <summary>
    /// Ports of the containers that serve traffic: regular containers and native sidecars (init containers with
    /// restartPolicy Always), which keep running and whose named ports a Service may target.
    /// </summary>
    public static IEnumerable<V1ContainerPort> Ports(V1Pod pod)
    {
        var sidecars = (pod.Spec?.InitContainers ?? []).Where(c => c.RestartPolicy == "Always");
        return (pod.Spec?.Containers ?? []).Concat(sidecars).SelectMany(c => c.Ports ?? []);
    }

    public static V1ContainerPort? NamedPort(V1Pod pod, string name) => Ports(pod).FirstOrDefault(p => p.Name == name);

    public static bool HostNetwork(V1Pod pod) => pod.Spec?.HostNetwork == true;

    public static string? Node(V1Pod pod) => pod.Spec?.NodeName;

    public static string? Ip(V1Pod pod) => pod.Status?.PodIP;
}
