using k8s.Models;
using KubeExpose.Core.Model;

namespace KubeExpose.Core.Routing;

/// <summary>
/// Routes that bypass the Service: a selected pod's hostPort, or a hostNetwork pod listening on its node's own
/// addresses. One set of node-address routes per pod, judged by that pod alone.
/// </summary>
internal static class HostRoutes
{
    public static IEnumerable<Route> For(ServicePortAnalysis a, SnapshotIndex index)
    {
        foreach (var pod in a.SelectedPods)
        {
            if (!PodFacts.HostNetwork(pod) && PodFacts.FirstPort(pod, HasHostPort) is null)
            {
                continue; // Almost every pod: neither branch below can apply, so skip resolving its target port.
            }

            var target = a.TargetPortOn(pod);
            if (target is null)
            {
                continue;
            }

            var declared = PodFacts.FirstPort(pod, p => p.ContainerPort == target && (p.Protocol ?? "TCP") == a.Protocol);
            RouteKind kind;
            int port;
            if (PodFacts.HostNetwork(pod))
            {
                (kind, port) = (RouteKind.HostNetwork, target.Value);
            }
            else if (declared?.HostPort is { } hostPort and > 0)
            {
                (kind, port) = (RouteKind.HostPort, hostPort);
            }
            else
            {
                continue;
            }

            var diagnoses = PodDiagnoses(a.Namespace, pod);
            var backend = new Backend(PodFacts.Ip(pod) ?? string.Empty, target, PodFacts.IsReady(pod), PodFacts.Name(pod), PodFacts.Node(pod));
            var nodes = PodFacts.Node(pod) is { } nodeName && index.Nodes.TryGetValue(nodeName, out var node) ? [node] : Array.Empty<V1Node>();
            if (nodes.Length == 0 && index.NodesReadable)
            {
                // Not scheduled (or on a node we cannot see): there is no address to list, but the pod's state is the finding.
                yield return RouteBuilder.Make(a, Vantage.Node, kind, "(unscheduled)", port, diagnoses, backends: [backend], inherit: false);
                continue;
            }

            foreach (var route in NodeAddressRoutes.For(a, index, kind, port, nodes, _ => diagnoses, [backend], inherit: false))
            {
                yield return route;
            }
        }
    }

    private static bool HasHostPort(V1ContainerPort port) => port.HostPort is > 0;

    private static List<Diagnosis> PodDiagnoses(string ns, V1Pod pod)
    {
        if (!PodFacts.IsRunning(pod))
        {
            return [FindingCatalog.HostPortPodNotRunning(ns, PodFacts.Name(pod), PodFacts.Phase(pod))];
        }

        return PodFacts.IsReady(pod) ? [] : [FindingCatalog.EndpointNotReady(ns, PodFacts.Name(pod))];
    }
}
