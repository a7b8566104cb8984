using Xunit;

namespace KubeExpose.Core.Tests.Routing;

/// <summary>Routes come out grouped as a reader scans them: namespace, Service, port, then vantage.</summary>
public sealed class RouteOrderTests
{
    [Theory]
    [MemberData(nameof(RoutingFixture.All), MemberType = typeof(RoutingFixture))]
    public void Routes_are_ordered_by_namespace_service_port_and_vantage(string file)
    {
        var routes = RoutingFixture.Load(file).Routes();
        var keys = routes.Select(r => (r.Namespace, r.Service, r.ServicePort, r.Vantage)).ToList();

        var sorted = keys.OrderBy(k => k.Namespace, StringComparer.Ordinal).ThenBy(k => k.Service, StringComparer.Ordinal)
            .ThenBy(k => k.ServicePort, StringComparer.Ordinal).ThenBy(k => k.Vantage).ToList();
        Assert.Equal(sorted, keys);
    }

    [Fact]
    public void Ingress_routes_to_a_missing_Service_sort_among_the_existing_ones()
    {
        var services = RoutingFixture.Load("ingress-backend-missing.yaml").Routes().Select(r => r.Service).Distinct();

        Assert.Equal(["web", "webb"], services);
    }
}
