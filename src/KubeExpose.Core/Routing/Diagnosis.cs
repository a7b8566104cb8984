using KubeExpose.Core.Model;

namespace KubeExpose.Core.Routing;

/// <summary>A finding together with what it does to the route's status (a finding that is only a note leaves it Ready).</summary>
internal sealed record Diagnosis(Finding Finding, RouteStatus Effect);
