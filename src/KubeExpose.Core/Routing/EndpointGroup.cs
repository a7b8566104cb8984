namespace KubeExpose.Core.Routing;

/// <summary>
/// The common shape of a Service's endpoints, whichever API they came from: one v1 or v1beta1 EndpointSlice, or one
/// subset of a v1 Endpoints object. Every address in a group serves every port of the group.
/// </summary>
/// <param name="Namespace">The Service's namespace.</param>
/// <param name="Service">The Service the endpoints belong to.</param>
/// <param name="Ports">The ports, named after the Service ports they serve.</param>
/// <param name="Addresses">The endpoint addresses.</param>
public sealed record EndpointGroup(string Namespace, string Service, IReadOnlyList<EndpointPortInfo> Ports, IReadOnlyList<EndpointAddressInfo> Addresses);

/// <summary>One port of an <see cref="EndpointGroup"/>; <paramref name="Name"/> is the Service port's name (empty when unnamed).</summary>
public sealed record EndpointPortInfo(string Name, int Port, string Protocol);

/// <summary>One endpoint address: its IP, readiness, and the pod and node behind it when the API names them.</summary>
public sealed record EndpointAddressInfo(string Ip, bool Ready, string? Pod, string? Node, string? Hostname);
