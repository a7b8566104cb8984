using k8s.Models;

namespace KubeExpose.Core.Routing;

/// <summary>What the model needs to know about a pod, read the way kubelet and the endpoints controller read it.</summary>
internal static class PodFacts
{
    public static string Name(V1Pod pod) => pod.Metadata.Name;

    public static bool IsReady(V1Pod pod)
    {
        if (pod.Status?.Conditions is not { } conditions)
        {
            return false;
        }

        // Indexed loops over the API's IList properties here and below: foreach would box an enumerator per pod.
        for (var i = 0; i < conditions.Count; i++)
        {
            if (conditions[i].Type == "Ready" && conditions[i].Status == "True")
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
    public static V1ContainerPort? NamedPort(V1Pod pod, string name) => FirstPort(pod, name, static (p, name) => p.Name == name);

    /// <summary>
    /// The first serving port that satisfies <paramref name="match"/>, in <see cref="Ports"/> order: plain loops and
    /// a static predicate with its state passed in, because the model asks this for every selected pod of every
    /// Service port, and a LINQ chain or a capturing lambda allocated each time.
    /// </summary>
    public static V1ContainerPort? FirstPort<TState>(V1Pod pod, TState state, Func<V1ContainerPort, TState, bool> match)
    {
        if (pod.Spec is not { } spec)
        {
            return null;
        }

        if (spec.Containers is { } containers)
        {
            for (var c = 0; c < containers.Count; c++)
            {
                if (FirstPort(containers[c], state, match) is { } port)
                {
                    return port;
                }
            }
        }

        if (spec.InitContainers is { } initContainers)
        {
            for (var c = 0; c < initContainers.Count; c++)
            {
                if (initContainers[c].RestartPolicy == "Always" && FirstPort(initContainers[c], state, match) is { } port)
                {
                    return port;
                }
            }
        }

        return null;
    }

    private static V1ContainerPort? FirstPort<TState>(V1Container container, TState state, Func<V1ContainerPort, TState, bool> match)
    {
        if (container.Ports is not { } ports)
        {
            return null;
        }

        for (var i = 0; i < ports.Count; i++)
        {
            if (match(ports[i], state))
            {
                return ports[i];
            }
        }

        return null;
    }

    public static bool HostNetwork(V1Pod pod) => pod.Spec?.HostNetwork == true;

    public static string? Node(V1Pod pod) => pod.Spec?.NodeName;

    public static string? Ip(V1Pod pod) => pod.Status?.PodIP;
}
