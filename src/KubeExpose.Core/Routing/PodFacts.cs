using k8s.Models;

namespace KubeExpose.Core.Routing;

/// <summary>What the model needs to know about a pod, read the way kubelet and the endpoints controller read it.</summary>
internal static class PodFacts
{
    public static string Name(V1Pod pod) => pod.Metadata.Name;

    public static bool IsReady(V1Pod pod)
    {
        foreach (var condition in pod.Status?.Conditions ?? [])
        {
            if (condition.Type == "Ready" && condition.Status == "True")
            {
                return true;
            }
        }

        return false;
    }

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

    /// <summary>The first serving port named <paramref name="name"/> (in <see cref="Ports"/> order), else null.</summary>
    public static V1ContainerPort? NamedPort(V1Pod pod, string name) => FirstPort(pod, p => p.Name == name);

    /// <summary>
    /// The first serving port that satisfies <paramref name="match"/>, in <see cref="Ports"/> order: plain loops,
    /// because the model asks this for every selected pod of every Service port and the LINQ chain allocated each time.
    /// </summary>
    public static V1ContainerPort? FirstPort(V1Pod pod, Func<V1ContainerPort, bool> match)
    {
        foreach (var container in pod.Spec?.Containers ?? [])
        {
            foreach (var port in container.Ports ?? [])
            {
                if (match(port))
                {
                    return port;
                }
            }
        }

        foreach (var container in pod.Spec?.InitContainers ?? [])
        {
            if (container.RestartPolicy != "Always")
            {
                continue;
            }

            foreach (var port in container.Ports ?? [])
            {
                if (match(port))
                {
                    return port;
                }
            }
        }

        return null;
    }

    public static bool HostNetwork(V1Pod pod) => pod.Spec?.HostNetwork == true;

    public static string? Node(V1Pod pod) => pod.Spec?.NodeName;

    public static string? Ip(V1Pod pod) => pod.Status?.PodIP;
}
