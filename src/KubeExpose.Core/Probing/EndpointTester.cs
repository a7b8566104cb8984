using KubeExpose.Core.Cluster;

namespace KubeExpose.Core.Probing;

/// <summary>
/// Probes one target with the options' retries and repetitions and returns its <see cref="EndpointTestResult"/>.
/// Needs a <see cref="KubeSession"/> only for targets that go through the API server.
/// </summary>
public sealed class EndpointTester(ProbeOptions options, KubeSession? session = null)
{
    private ApiServerProber? _apiServer = session is null ? null : new ApiServerProber(session);
    private readonly RetryPolicy _retry = new(options.RetryCount, options.RetryInterval);

    public ProbeOptions Options => options;

    /// <summary>Whether targets that go through the API server can be probed.</summary>
    public bool HasSession => _apiServer is not null;

    /// <summary>
    /// Supplies the connection for API-server targets once one is needed. Opening it is left to the caller, which
    /// must report a bad kubeconfig on its own thread (a cmdlet's pipeline thread), not on a probe's.
    /// </summary>
    public void UseSession(KubeSession kubeSession) => _apiServer ??= new ApiServerProber(kubeSession);

    public async Task<EndpointTestResult> TestAsync(ProbeTarget target, CancellationToken cancellation)
    {
        if (target.SkipReason is not null)
        {
            return EndpointTestResult.ForSkipped(target);
        }

        var result = new EndpointTestResult
        {
            Target = target.Display,
            Protocol = EndpointTestResult.ProtocolName(target),
            Route = target.Route,
            Through = target.ApiServerPath is null ? "Direct" : "ApiServer",
        };
        if (target.ApiServerPath is not null && _apiServer is null)
        {
            return result with
            {
                FailureKind = ProbeFailureKind.Other,
                Error = "probing through the API server needs a kube connection (kubeconfig or in-cluster credentials)",
            };
        }

        var (first, attempts) = await _retry.RunAsync(ct => ProbeOnceAsync(target, ct), cancellation).ConfigureAwait(false);
        result = With(result, first) with { Attempts = attempts };
        if (!first.Success || options.Count <= 1)
        {
            return result;
        }

        // Repetitions measure latency of a working target; one that fails makes the whole result a failure, since a
        // flapping endpoint is what -Count is meant to catch.
        var samples = new List<double>(options.Count) { first.LatencyMs };
        for (var sample = 2; sample <= options.Count; sample++)
        {
            var next = await ProbeOnceAsync(target, cancellation).ConfigureAwait(false);
            if (!next.Success)
            {
                return With(result, next) with { Error = $"sample {sample} of {options.Count} failed: {next.Error}", Latency = LatencyStatistics.From(samples) };
            }

            samples.Add(next.LatencyMs);
        }

        var statistics = LatencyStatistics.From(samples);
        return result with { Latency = statistics, LatencyMs = statistics.P50 };
    }

    private Task<ProbeAttempt> ProbeOnceAsync(ProbeTarget target, CancellationToken cancellation) =>
        target.ApiServerPath is not null ? _apiServer!.ProbeOnceAsync(target, options, cancellation)
        : target.Protocol == ProbeProtocol.Tcp ? TcpProber.ProbeOnceAsync(target, options, cancellation)
        : HttpProber.ProbeOnceAsync(target, options, cancellation);

    private static EndpointTestResult With(EndpointTestResult result, ProbeAttempt attempt) => result with
    {
        Success = attempt.Success,
        FailureKind = attempt.Failure,
        Error = attempt.Error,
        StatusCode = attempt.StatusCode,
        LatencyMs = Math.Round(attempt.LatencyMs, 3),
        RemoteAddress = attempt.RemoteAddress,
        Certificate = attempt.Certificate ?? result.Certificate,
    };
}
