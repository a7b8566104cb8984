namespace KubeExpose.Core.Model;

/// <summary>One endpoint a route leads to: a pod (or a hand-made endpoint) and the port traffic reaches it on.</summary>
/// <param name="Address">The endpoint IP.</param>
/// <param name="Port">The port on the endpoint, when known.</param>
/// <param name="Ready">Whether the endpoint is ready to serve.</param>
/// <param name="Pod">The pod behind the endpoint, when the endpoint names one.</param>
/// <param name="Node">The node the endpoint runs on, when known.</param>
public sealed record Backend(string Address, int? Port, bool Ready, string? Pod = null, string? Node = null)
{
    public override string ToString() => Pod is null ? $"{Address}:{Port}" : $"{Pod} ({Address}:{Port})";
}
