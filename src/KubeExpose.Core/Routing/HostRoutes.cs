using k8s.Models;
using KubeExpose.Core.Model;

namespace KubeExpose.Core.Routing;

/// <summary>
/// Routes that bypass the Service: a selected pod's hostPort, or a hostNetwork pod listening on its node's own
/// addresses. One set of node-address routes per pod, judged by that pod alone.
/// </summary>
internal static class HostRoutes
{
    public static void Add(ServicePortAnalysis a, SnapshotIndex index, List<Route> routes)
    {
        for (var i = 0; i < a.SelectedPods.Count; i++)
        {
            var pod = a.SelectedPods[i];
            if (!PodFacts.HostNetwork(pod) && PodFacts.FirstPort(pod, 0, static (p, _) => p.HostPort is > 0) is null)
            {
                continue; // Almost every pod: neither branch below can apply, so skip resolving its target port.
            }

            var target = a.TargetPortOn(pod);
            if (target is null)
            {
                continue;
            }

            var declared = PodFacts.FirstPort(pod, (Number: target.Value, a.Protocol), static (p, want) => p.ContainerPort == want.Number && (p.Protocol ?? "TCP") == want.Protocol);
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
            Backend[] backends = [new Backend(PodFacts.Ip(pod) ?? string.Empty, target, PodFacts.IsReady(pod), PodFacts.Name(pod), PodFacts.Node(pod))];
            if (NodeAddressRoutes.AddUnreadable(a, index, kind, port, routes, backends, inherit: false))
            {
                continue;
            }

            if (PodFacts.Node(pod) is { } nodeName && index.Nodes.TryGetValue(nodeName, out var node))
            {
                NodeAddressRoutes.Add(a, kind, port, node, diagnoses, routes, backends, inherit: false);
            }
            else
            {
                // Not scheduled (or on a node we cannot see): there is no address to list, but the pod's state is the finding.
                routes.Add(RouteBuilder.Make(a, Vantage.Node, kind, "(unscheduled)", port, diagnoses, backends: backends, inherit: false));
            }
        }
    }

    private static IReadOnlyList<Diagnosis> PodDiagnoses(string ns, V1Pod pod)
    {
        if (!PodFacts.IsRunning(pod))
        {
            return [FindingCatalog.HostPortPodNotRunning(ns, PodFacts.Name(pod), PodFacts.Phase(pod))];
        }

        return PodFacts.IsReady(pod) ? [] : [FindingCatalog.EndpointNotReady(ns, PodFacts.Name(pod))];
    }
}
