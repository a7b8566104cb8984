using KubeExpose.Core.Model;

namespace KubeExpose.Core.Routing;

/// <summary>Makes a <see cref="Route"/> for a Service port, folding the port's own diagnoses with the route's.</summary>
internal static class RouteBuilder
{
    /// <summary>A route for <paramref name="analysis"/>; <paramref name="inherit"/> says whether the port's own verdict (pods, endpoints) applies (false for per-pod routes).</summary>
    public static Route Make(ServicePortAnalysis analysis, Vantage vantage, RouteKind kind, string address, int? port,
        IEnumerable<Diagnosis>? extra = null, string? url = null, IReadOnlyList<Backend>? backends = null, bool inherit = true)
    {
        var added = extra as IReadOnlyCollection<Diagnosis> ?? extra?.ToList();
        RouteStatus status;
        IReadOnlyList<Finding> findings;
        if (added is null || added.Count == 0)
        {
            // Most routes carry exactly the port's verdict: fold it once per port and share it, instead of copying
            // and re-sorting the same diagnoses for every route (tens of thousands on a big cluster).
            (status, findings) = inherit ? (analysis.Status, analysis.Findings) : (RouteStatus.Ready, []);
        }
        else
        {
            var diagnoses = new List<Diagnosis>((inherit ? analysis.Diagnoses.Count : 0) + added.Count);
            if (inherit)
            {
                diagnoses.AddRange(analysis.Diagnoses);
            }

            diagnoses.AddRange(added);
            (status, findings) = (Verdict.Of(diagnoses), Verdict.Findings(diagnoses));
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
            Status = status,
            Findings = findings,
            Backends = backends ?? analysis.Backends,
        };
    }
}
