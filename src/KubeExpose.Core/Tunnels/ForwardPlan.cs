using k8s.Models;

namespace KubeExpose.Core.Tunnels;

/// <summary>
/// What a port-forward target resolved to: which pods to watch (one by name, or a label selector), whether they must
/// be Ready, and how each forwarded port maps to a port of a given pod (kubectl's rules: numbers as they are,
/// Service ports through their targetPort, names per pod).
/// </summary>
internal sealed class ForwardPlan
{
    public required ForwardTarget Target { get; init; }

    public required string Namespace { get; init; }

    /// <summary>The one pod to use (pod/NAME targets), or null.</summary>
    public string? PodName { get; init; }

    /// <summary>The label selector of the pods to use (Service and workload targets), or null.</summary>
    public string? LabelSelector { get; init; }

    /// <summary>
    /// Selector targets use Ready pods only (like a Service would); a named pod only has to be Running, as with kubectl,
    /// so an unready pod can still be debugged through its own name.
    /// </summary>
    public bool RequireReady => PodName is null;

    public required IReadOnlyList<ForwardPort> Ports { get; init; }

    /// <summary>Maps forwarded port <c>i</c> to a port of <c>pod</c>; null when the pod has no such (named) port.</summary>
    public required Func<V1Pod, int, int?> RemotePort { get; init; }

    /// <summary>For bare port names: the local port a Service port name stands for (null: resolve from the first pod).</summary>
    public IReadOnlyList<int?> FixedLocalPorts { get; init; } = [];
}
