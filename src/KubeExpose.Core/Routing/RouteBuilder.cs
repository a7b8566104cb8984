using KubeExpose.Core.Model;

namespace KubeExpose.Core.Routing;

/// <summary>Makes a <see cref="Route"/> for a Service port, folding the port's own diagnoses with the route's.</summary>
internal static class RouteBuilder
{
    /// <summary>A route for <paramref name="analysis"/>; <paramref name="inherit"/> says whether the port's own verdict (pods, endpoints) applies (false for per-pod routes).</summary>
    public static Route Make(ServicePortAnalysis analysis, Vantage vantage, RouteKind kind, string address, int? port,
        IReadOnlyList<Diagnosis>? extra = null, string? url = null, IReadOnlyList<Backend>? backends = null, bool inherit = true)
    {
        RouteStatus status;
        IReadOnlyList<Finding> findings;
        if (extra is null || extra.Count == 0)
        {
            // Most routes carry exactly the port's verdict: fold it once per port and share it, instead of copying
            // and re-sorting the same diagnoses for every route (tens of thousands on a big cluster).
            (status, findings) = inherit ? (analysis.Status, analysis.Findings) : (RouteStatus.Ready, []);
        }
        else if (extra.Count == 1)
        {
            return Make(analysis, vantage, kind, address, port, extra[0], url, backends, inherit);
        }
        else
        {
            var diagnoses = new List<Diagnosis>((inherit ? analysis.Diagnoses.Count : 0) + extra.Count);
            if (inherit)
            {
                diagnoses.AddRange(analysis.Diagnoses);
            }

            diagnoses.AddRange(extra);
            (status, findings) = (Verdict.Of(diagnoses), Verdict.Findings(diagnoses));
        }

        return New(analysis, vantage, kind, address, port, url, status, findings, backends);
    }

    /// <summary>
    /// A route with one diagnosis of its own (a DNS short-name note, the env-var caveat): the commonest extra, made
    /// without a list when the port itself has nothing to say.
    /// </summary>
    public static Route Make(ServicePortAnalysis analysis, Vantage vantage, RouteKind kind, string address, int? port,
        Diagnosis extra, string? url = null, IReadOnlyList<Backend>? backends = null, bool inherit = true)
    {
        if (inherit && analysis.Diagnoses.Count > 0)
        {
            var diagnoses = new List<Diagnosis>(analysis.Diagnoses.Count + 1);
            diagnoses.AddRange(analysis.Diagnoses);
            diagnoses.Add(extra);
            return New(analysis, vantage, kind, address, port, url, Verdict.Of(diagnoses), Verdict.Findings(diagnoses), backends);
        }

        return New(analysis, vantage, kind, address, port, url, extra.Effect, [extra.Finding], backends);
    }

    private static Route New(ServicePortAnalysis analysis, Vantage vantage, RouteKind kind, string address, int? port, string? url,
        RouteStatus status, IReadOnlyList<Finding> findings, IReadOnlyList<Backend>? backends) => new()
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
