namespace KubeExpose.Core.Model;

/// <summary>The verdict on a route. Never <see cref="Ready"/> where the API cannot prove it.</summary>
public enum RouteStatus
{
    /// <summary>Every backend the route leads to is ready and nothing the API shows stands in the way.</summary>
    Ready,
    /// <summary>The route works for some backends or nodes, not all.</summary>
    Degraded,
    /// <summary>The route cannot work; the findings say why.</summary>
    Broken,
    /// <summary>The route is being provisioned (for example a LoadBalancer address not yet assigned).</summary>
    Pending,
    /// <summary>The API cannot tell; the findings say why.</summary>
    Unknown,
}
