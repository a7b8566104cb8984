namespace KubeExpose.Core.Exposure;

/// <summary>One hostPort to add to a container of the workload's pod template.</summary>
/// <param name="Container">The container (or native sidecar) that declares the port.</param>
/// <param name="IsInitContainer">The container is a native sidecar in initContainers.</param>
/// <param name="ContainerPort">The declared container port.</param>
/// <param name="Protocol">Its protocol.</param>
/// <param name="HostPort">The port to open on the node.</param>
public sealed record HostPortPatch(string Container, bool IsInitContainer, int ContainerPort, string Protocol, int HostPort);
