namespace KubeExpose.Core.Tunnels;

/// <summary>A pod new connections may go to, with the pod port each forwarded port maps to on that pod.</summary>
/// <param name="Name">The pod name.</param>
/// <param name="RemotePorts">For each forwarded port (in the order given), the port number on this pod.</param>
/// <param name="Uid">The pod's UID: a pod recreated under the same name (StatefulSet) is a different pod.</param>
public sealed record PodBackend(string Name, IReadOnlyList<int> RemotePorts, string? Uid = null);
