using k8s;
using KubeExpose.Core.Model;
using KubeExpose.Core.Routing;

namespace KubeExpose.Core.Cluster;

/// <summary>Reads the cluster once and runs the routing model: the entry point other commands use.</summary>
public static class ClusterReachability
{
    /// <summary>Every route to the Services in scope, with verdicts.</summary>
    /// <param name="client">The API client.</param>
    /// <param name="namespace">The namespace; null = all namespaces.</param>
    /// <param name="services">Service names; null = every Service in scope. Names that do not exist are skipped (see <see cref="GetReportAsync(IKubernetes, string?, IReadOnlyCollection{string}?, IProgress{string}?, CancellationToken)"/>).</param>
    /// <param name="cancellationToken">Stops the reads.</param>
    public static async Task<IReadOnlyList<Route>> GetRoutesAsync(
        IKubernetes client, string? @namespace, IReadOnlyCollection<string>? services, CancellationToken cancellationToken) =>
        (await GetReportAsync(client, @namespace, services, null, cancellationToken).ConfigureAwait(false)).Routes;

    /// <summary>As <see cref="GetReportAsync(IKubernetes, string?, IReadOnlyCollection{string}?, IProgress{string}?, CancellationToken)"/> on a session's client (for callers that must not see client types).</summary>
    public static Task<ReachabilityReport> GetReportAsync(
        KubeSession session, string? @namespace, IReadOnlyCollection<string>? services, IProgress<string>? progress, CancellationToken cancellationToken) =>
        GetReportAsync(session.Client, @namespace, services, progress, cancellationToken);

    /// <summary>The routes plus what could not be decided: unknown Service names and kinds RBAC kept from us.</summary>
    public static async Task<ReachabilityReport> GetReportAsync(
        IKubernetes client, string? @namespace, IReadOnlyCollection<string>? services, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var snapshot = await ClusterSnapshotReader.ReadAsync(client, @namespace, progress, cancellationToken).ConfigureAwait(false);
        var set = RouteModel.Build(snapshot, services);
        return new ReachabilityReport(set.Routes, set.UnknownServices, snapshot.Unreadable.Values.ToList(), snapshot.EndpointSource);
    }
}

/// <summary>The result of <see cref="ClusterReachability.GetReportAsync(IKubernetes, string?, IReadOnlyCollection{string}?, IProgress{string}?, CancellationToken)"/>.</summary>
/// <param name="Routes">Every route found.</param>
/// <param name="UnknownServices">Requested Service names that do not exist in scope.</param>
/// <param name="Unreadable">Why some optional kinds could not be read (permission messages naming verb and resource).</param>
/// <param name="EndpointSource">The endpoints API used.</param>
public sealed record ReachabilityReport(IReadOnlyList<Route> Routes, IReadOnlyList<string> UnknownServices, IReadOnlyList<string> Unreadable, string EndpointSource);
