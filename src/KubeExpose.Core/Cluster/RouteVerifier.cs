using KubeExpose.Core.Model;
using KubeExpose.Core.Probing;

namespace KubeExpose.Core.Cluster;

/// <summary>
/// Expose-Workload -Verify: probes the routes of a new Service that this machine stands at — External (node ports,
/// load balancers, external IPs, Ingress) directly, Operator (the API server's service proxy) with the session's
/// credentials — with Test-Endpoint's engine, so both cmdlets judge a route the same way. Pod and Node routes are
/// left out: from here they could only be reached through the proxy, which the Operator route already proves.
/// </summary>
public static class RouteVerifier
{
    /// <summary>The longest one attempt may take; the rest of the budget goes to retries.</summary>
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(1);

    /// <summary>Whether -Verify reports on this route (probed, or skipped with the reason).</summary>
    public static bool IsVerified(Route route) => route.Vantage is Vantage.External or Vantage.Operator;

    /// <summary>The probe targets for the verified routes, in route order; those that cannot be probed from here carry their SkipReason.</summary>
    public static IReadOnlyList<ProbeTarget> Targets(IEnumerable<Route> routes) =>
        routes.Where(IsVerified).Select(route => ProbeTargets.FromRoute(route, throughApiServer: false)).ToList();

    /// <summary>
    /// How -Verify probes within <paramref name="budget"/>. The routes are already Ready as far as the API can tell, so
    /// retries only cover what it cannot see (kube-proxy or the Ingress controller catching up). The retry count is
    /// chosen so that even attempts that all time out end within the budget. Any HTTP answer below 500 proves the route
    /// delivers requests (the application may well answer 404 on "/"), except 401/403, which through the API server are
    /// its refusal; 5xx is a proxy, load balancer or controller that found no backend. Certificates are not checked:
    /// the question is reachability, and test clusters usually serve self-signed ones (Certificate still shows it).
    /// </summary>
    public static ProbeOptions Options(TimeSpan budget)
    {
        var attempt = budget < AttemptTimeout ? budget : AttemptTimeout;
        var retries = (int)Math.Floor((budget - attempt) / (attempt + RetryInterval));
        return new ProbeOptions
        {
            ExpectStatusCodes = Enumerable.Range(100, 400).Where(code => code is not (401 or 403)).ToArray(),
            SkipCertificateCheck = true,
            Timeout = attempt,
            RetryCount = Math.Max(0, retries),
            RetryInterval = RetryInterval,
        };
    }

    /// <summary>
    /// Probes the verified routes (concurrently, results in route order) within <paramref name="budget"/>.
    /// The session is used only for routes through the API server.
    /// </summary>
    public static async Task<IReadOnlyList<EndpointTestResult>> VerifyAsync(KubeSession session, IReadOnlyList<Route> routes, TimeSpan budget,
        IProgress<string>? progress, CancellationToken ct)
    {
        var targets = Targets(routes);
        var probed = targets.Count(t => t.SkipReason is null);
        var tester = new EndpointTester(Options(budget), session);
        var results = new List<EndpointTestResult>(targets.Count);
        progress?.Report($"Probing {probed} route(s) from here");
        await foreach (var result in OrderedProbeRunner.RunAllAsync(targets, tester, ct).ConfigureAwait(false))
        {
            results.Add(result);
            progress?.Report($"Probed {results.Count(r => !r.Skipped)} of {probed} route(s): {result}");
        }

        return results;
    }
}
