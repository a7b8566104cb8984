namespace KubeExpose.Core.Exposure;

/// <summary>A port a workload declares: on a container, a native sidecar, or an existing Service.</summary>
/// <param name="Name">The declared name, or null.</param>
/// <param name="Number">The container port (or, for a Service, its port).</param>
/// <param name="Protocol">TCP, UDP or SCTP.</param>
/// <param name="Container">The container that declares it; null for a Service.</param>
/// <param name="IsSidecar">Declared by a native sidecar (an initContainer with restartPolicy Always).</param>
/// <param name="TargetPort">For a Service being re-exposed: its targetPort (name or number).</param>
public sealed record InferredPort(string? Name, int Number, string Protocol, string? Container, bool IsSidecar, string? TargetPort = null);
