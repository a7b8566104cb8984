using KubeExpose.Core.Model;

namespace KubeExpose.Core.Routing;

/// <summary>
/// A finding together with what it does to the route's status (a finding that is only a note leaves it Ready).
/// A value, not an object: the model makes one for most routes of a big cluster and only keeps the finding.
/// </summary>
internal readonly record struct Diagnosis(Finding Finding, RouteStatus Effect);
