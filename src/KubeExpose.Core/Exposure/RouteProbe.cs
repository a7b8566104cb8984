using KubeExpose.Core.Model;

namespace KubeExpose.Core.Exposure;

/// <summary>The outcome of connecting to one route from this machine.</summary>
/// <param name="Route">The route probed.</param>
/// <param name="Target">What was contacted: host:port or URL.</param>
/// <param name="Success">Whether it answered (TCP connect, or an HTTP status below 500 for HTTP-shaped routes).</param>
/// <param name="Detail">The status code or the error.</param>
public sealed record RouteProbe(Route Route, string Target, bool Success, string Detail);
