using System.Globalization;
using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace KubeExpose.Core.Tunnels;

/// <summary>Reads the target object and turns it into a <see cref="ForwardPlan"/>, with kubectl's port rules.</summary>
internal static class ForwardPlanner
{
    public static async Task<ForwardPlan> PlanAsync(IKubernetes client, string ns, ForwardTarget target, IReadOnlyList<ForwardPort> ports, CancellationToken cancellation)
    {
        try
        {
            return target.Kind switch
            {
                ForwardTargetKind.Pod => PlanPod(ns, target, ports),
                ForwardTargetKind.Service => PlanService(ns, target, ports,
                    await client.CoreV1.ReadNamespacedServiceAsync(target.Name, ns, cancellationToken: cancellation).ConfigureAwait(false)),
                ForwardTargetKind.Deployment => PlanSelector(ns, target, ports,
                    (await client.AppsV1.ReadNamespacedDeploymentAsync(target.Name, ns, cancellationToken: cancellation).ConfigureAwait(false)).Spec.Selector),
                ForwardTargetKind.ReplicaSet => PlanSelector(ns, target, ports,
                    (await client.AppsV1.ReadNamespacedReplicaSetAsync(target.Name, ns, cancellationToken: cancellation).ConfigureAwait(false)).Spec.Selector),
                ForwardTargetKind.StatefulSet => PlanSelector(ns, target, ports,
                    (await client.AppsV1.ReadNamespacedStatefulSetAsync(target.Name, ns, cancellationToken: cancellation).ConfigureAwait(false)).Spec.Selector),
                _ => PlanSelector(ns, target, ports,
                    (await client.AppsV1.ReadNamespacedDaemonSetAsync(target.Name, ns, cancellationToken: cancellation).ConfigureAwait(false)).Spec.Selector),
            };
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            throw new KubeExposeException(KubeExposeErrorKind.NotFound, "TargetNotFound",
                $"{target} was not found in namespace '{ns}'. Check the name and -Namespace.", $"{target} in namespace {ns}", e);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized)
        {
            throw new KubeExposeException(KubeExposeErrorKind.PermissionDenied, "TargetForbidden",
                $"Not allowed to read {target} in namespace '{ns}': {e.Response.Content}", $"{target} in namespace {ns}", e);
        }
    }

    internal static ForwardPlan PlanPod(string ns, ForwardTarget target, IReadOnlyList<ForwardPort> ports) => new()
    {
        Target = target,
        Namespace = ns,
        PodName = target.Name,
        Ports = ports,
        RemotePort = (pod, i) => ContainerPort(pod, ports[i].Remote),
    };

    internal static ForwardPlan PlanSelector(string ns, ForwardTarget target, IReadOnlyList<ForwardPort> ports, V1LabelSelector? selector)
    {
        var text = selector is null ? "" : LabelSelectors.FromSelector(selector);
        if (text.Length == 0)
        {
            throw new KubeExposeException(KubeExposeErrorKind.InvalidArgument, "TargetHasNoSelector",
                $"{target} in namespace '{ns}' has no pod selector, so it has no pods to forward to.", $"{target} in namespace {ns}");
        }

        return new ForwardPlan
        {
            Target = target,
            Namespace = ns,
            LabelSelector = text,
            Ports = ports,
            RemotePort = (pod, i) => ContainerPort(pod, ports[i].Remote),
        };
    }

    internal static ForwardPlan PlanService(string ns, ForwardTarget target, IReadOnlyList<ForwardPort> ports, V1Service service)
    {
        if (service.Spec.Selector is not { Count: > 0 } selector)
        {
            throw new KubeExposeException(KubeExposeErrorKind.InvalidArgument, "ServiceHasNoSelector",
                $"Service '{service.Metadata.Name}' in namespace '{ns}' has no selector: it has no pods a port-forward can reach. " +
                "Forward to the pod (or workload) behind it instead.", $"service/{service.Metadata.Name} in namespace {ns}");
        }

        var servicePorts = ports.Select(p => FindServicePort(service, p.Remote, ns)).ToList();
        var headless = service.Spec.ClusterIP == "None";
        return new ForwardPlan
        {
            Target = target,
            Namespace = ns,
            LabelSelector = LabelSelectors.FromMap(selector),
            Ports = ports,
            // A bare Service port name listens on the Service port's number (kubectl's translation).
            FixedLocalPorts = servicePorts.Select(sp => (int?)sp.Port).ToList(),
            RemotePort = (pod, i) => ServiceTargetPort(servicePorts[i], pod, headless),
        };
    }

    private static V1ServicePort FindServicePort(V1Service service, string remote, string ns)
    {
        var number = int.TryParse(remote, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : (int?)null;
        var port = (service.Spec.Ports ?? []).FirstOrDefault(p => number is null ? p.Name == remote : p.Port == number);
        if (port is null)
        {
            var known = string.Join(", ", (service.Spec.Ports ?? []).Select(p => p.Name is null ? $"{p.Port}" : $"{p.Port} ({p.Name})"));
            throw new KubeExposeException(KubeExposeErrorKind.InvalidArgument, "ServicePortNotFound",
                $"Service '{service.Metadata.Name}' in namespace '{ns}' has no port {remote}. Its ports: {(known.Length == 0 ? "none" : known)}.",
                $"service/{service.Metadata.Name} in namespace {ns}");
        }

        if (port.Protocol == "UDP")
        {
            throw UdpRefused(remote, $"service/{service.Metadata.Name}");
        }

        return port;
    }

    private static int? ServiceTargetPort(V1ServicePort port, V1Pod pod, bool headless)
    {
        // kubectl: a headless Service's port is used as-is; otherwise the targetPort (number, or a name per pod).
        if (headless)
        {
            return port.Port;
        }

        var target = port.TargetPort?.Value;
        if (string.IsNullOrEmpty(target))
        {
            return port.Port;
        }

        return int.TryParse(target, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? number == 0 ? port.Port : number
            : NamedContainerPort(pod, target)?.ContainerPort;
    }

    /// <summary>A pod port: a number as given (refused when the pod declares it UDP only), or a named container port.</summary>
    internal static int? ContainerPort(V1Pod pod, string remote)
    {
        if (int.TryParse(remote, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            var declared = AllPorts(pod).Where(p => p.ContainerPort == number).ToList();
            if (declared.Count > 0 && declared.All(p => p.Protocol == "UDP"))
            {
                throw UdpRefused(remote, $"pod/{pod.Metadata.Name}");
            }

            return number;
        }

        var named = NamedContainerPort(pod, remote);
        if (named?.Protocol == "UDP")
        {
            throw UdpRefused(remote, $"pod/{pod.Metadata.Name}");
        }

        return named?.ContainerPort;
    }

    // kubectl looks a name up in the containers, then the init containers (which covers native sidecars).
    private static V1ContainerPort? NamedContainerPort(V1Pod pod, string name) => AllPorts(pod).FirstOrDefault(p => p.Name == name);

    private static IEnumerable<V1ContainerPort> AllPorts(V1Pod pod) =>
        (pod.Spec?.Containers ?? []).Concat(pod.Spec?.InitContainers ?? []).SelectMany(c => c.Ports ?? []);

    private static KubeExposeException UdpRefused(string port, string target) =>
        new(KubeExposeErrorKind.InvalidArgument, "UdpNotSupported",
            $"Port {port} of {target} is UDP: port-forwarding carries TCP only (the Kubernetes port-forward protocol has no UDP). " +
            "Forward a TCP port, or reach the UDP port from inside the cluster.", target);
}
