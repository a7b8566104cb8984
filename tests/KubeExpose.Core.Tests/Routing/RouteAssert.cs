using KubeExpose.Core.Model;
using Xunit;

namespace KubeExpose.Core.Tests.Routing;

/// <summary>Finds routes by what a reader sees in the table (kind, vantage, address) and checks verdicts.</summary>
internal static class RouteAssert
{
    /// <summary>The one route of this kind and vantage (and address, when given); fails listing the routes when there is not exactly one.</summary>
    public static Route One(IReadOnlyList<Route> routes, RouteKind kind, Vantage vantage, string? address = null)
    {
        var found = routes.Where(r => r.Kind == kind && r.Vantage == vantage && (address is null || r.Address == address)).ToList();
        if (found.Count != 1)
        {
            throw new Xunit.Sdk.XunitException(
                $"Expected one {kind} route from {vantage}{(address is null ? "" : $" at {address}")}, found {found.Count}. Routes:{Environment.NewLine}{Describe(routes)}");
        }

        return found[0];
    }

    /// <summary>Asserts the status and that the findings are exactly these codes (in any order).</summary>
    public static Route Is(this Route route, RouteStatus status, params string[] codes)
    {
        Assert.True(route.Status == status, $"{route}: expected {status}, got {route.Status}. Findings: {string.Join(" | ", route.Findings)}");
        Assert.Equal(codes.Order(StringComparer.Ordinal), route.Findings.Select(f => f.Code).Order(StringComparer.Ordinal));
        return route;
    }

    /// <summary>The finding with this code; its message and remedy are what a user reads.</summary>
    public static Finding Finding(this Route route, string code) =>
        route.Findings.SingleOrDefault(f => f.Code == code) ?? throw new Xunit.Sdk.XunitException($"{route} has no {code}: {string.Join(" | ", route.Findings)}");

    public static string Describe(IEnumerable<Route> routes) =>
        string.Join(Environment.NewLine, routes.Select(r => $"  {r.Service}:{r.ServicePort} {r.Vantage} {r.Kind} {r.Address}:{r.Port} {r.Url} {r.Status} [{string.Join(",", r.Findings.Select(f => f.Code))}]"));

    /// <summary>Everything that makes a route what it is, as text, so two runs can be compared whole.</summary>
    public static string Canonical(IEnumerable<Route> routes) =>
        string.Join(Environment.NewLine, routes.Select(r =>
            $"{r.Namespace}/{r.Service}:{r.ServicePort}/{r.Protocol} {r.Vantage} {r.Kind} {r.Address}:{r.Port} {r.Url} {r.Status} " +
            $"[{string.Join(" | ", r.Findings.Select(f => $"{f.Code} {f.Severity} {f.Message} => {f.Remedy}"))}] " +
            $"<{string.Join(", ", r.Backends.Select(b => $"{b.Pod}@{b.Address}:{b.Port} ready={b.Ready} node={b.Node}"))}>"));
}
