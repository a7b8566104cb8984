using KubeExpose.Core.Model;

namespace KubeExpose.Core.Routing;

/// <summary>Makes a <see cref="Route"/> for a Service port, folding the port's own diagnoses with the route's.</summary>
internal static class RouteBuilder
{
    /// <summary>A route for <paramref name="analysis"/>; <paramref name="inherit"/> says whether the port's own verdict (pods, endpoints) applies (false for per-pod routes).</summary>
    public static Route Make(ServicePortAnalysis analysis, Vantage vantage, RouteKind kind, string address, int? port,
        IEnumerable<Diagnosis>? extra = null, string? url = null, IReadOnlyList<Backend>? backends = null, bool inherit = true)
    {
        var diagnoses = new List<Diagnosis>(inherit ? analysis.Diagnoses : []);
        if (extra is not null)
        {
            diagnoses.AddRange(extra);
        }

        return new Route
        {
            Namespace = analysis.Namespace,
            Service = analysis.Name,
            ServicePort = analysis.PortLabel,
            Protocol = analysis.Protocol,
            Vantage = vantage,
            Kind = kind,
            Address = address,
            Port = port,
            Url = url,
            Status = Verdict.Of(diagnoses),
            Findings = Verdict.Findings(diagnoses),
            Backends = backends ?? analysis.Backends,
        };
    }
}
