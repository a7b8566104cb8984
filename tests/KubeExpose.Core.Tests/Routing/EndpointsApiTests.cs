using KubeExpose.Core.Routing;
using Xunit;
using static KubeExpose.Core.Model.RouteKind;
using static KubeExpose.Core.Model.RouteStatus;
using static KubeExpose.Core.Model.Vantage;
using static KubeExpose.Core.Tests.Routing.RouteAssert;

namespace KubeExpose.Core.Tests.Routing;

/// <summary>The model must give the same answer whichever endpoints API the cluster serves.</summary>
public sealed class EndpointsApiTests
{
    [Theory]
    [MemberData(nameof(RoutingFixture.All), MemberType = typeof(RoutingFixture))]
    public void Every_scenario_gives_the_same_routes_from_v1_slices_v1beta1_slices_and_v1_Endpoints(string file)
    {
        var fixture = RoutingFixture.Load(file);
        if (!fixture.Convertible)
        {
            return; // written in an older API on purpose; compared below with its twin
        }

        var v1 = Canonical(fixture.Routes(EndpointsApi.SliceV1));
        Assert.NotEmpty(v1);
        Assert.Equal(v1, Canonical(fixture.Routes(EndpointsApi.SliceV1Beta1)));
        Assert.Equal(v1, Canonical(fixture.Routes(EndpointsApi.Endpoints)));
    }

    [Fact]
    public void Endpoints_as_Kubernetes_1_20_serves_them_read_the_node_from_topology()
    {
        var fixture = RoutingFixture.Load("endpoints-v1beta1.yaml");
        Assert.Equal("discovery.k8s.io/v1beta1", fixture.Snapshot().EndpointSource);
        var routes = fixture.Routes();

        One(routes, NodePort, External, "203.0.113.1").Is(Degraded, "KE2008");
        One(routes, NodePort, External, "203.0.113.2").Is(Broken, "KE2008", "KE4002");
        Assert.Equal(["web-1 node-a True", "web-2 node-a False"], One(routes, ClusterIP, Pod).Backends.Select(b => $"{b.Pod} {b.Node} {b.Ready}"));
    }

    [Fact]
    public void V1_Endpoints_give_the_same_verdicts_as_v1beta1_slices()
    {
        var endpoints = RoutingFixture.Load("endpoints-v1.yaml");
        Assert.Equal("v1/Endpoints", endpoints.Snapshot().EndpointSource);

        Assert.Equal(Canonical(RoutingFixture.Load("endpoints-v1beta1.yaml").Routes()), Canonical(endpoints.Routes()));
    }

    [Fact]
    public void Slices_without_the_service_name_label_are_ignored()
    {
        var slice = new k8s.Models.V1EndpointSlice { Metadata = new() { Name = "orphan", NamespaceProperty = "shop" }, AddressType = "IPv4" };

        Assert.Null(KubeExpose.Core.Cluster.EndpointShapes.FromV1Slice(slice));
        Assert.Null(KubeExpose.Core.Cluster.EndpointShapes.FromV1Beta1Slice(System.Text.Json.Nodes.JsonNode.Parse("""{"metadata":{"name":"orphan"}}""")!));
    }
}
