using KubeExpose.Core.Model;
using Xunit;
using static KubeExpose.Core.Model.RouteKind;
using static KubeExpose.Core.Model.RouteStatus;
using static KubeExpose.Core.Model.Vantage;
using static KubeExpose.Core.Tests.Routing.RouteAssert;

namespace KubeExpose.Core.Tests.Routing;

/// <summary>Routes on node and load-balancer addresses: NodePort, LoadBalancer, externalIPs, hostPort, hostNetwork.</summary>
public sealed class NodeRoutesTests
{
    [Fact]
    public void NodePort_is_listed_on_every_node_address_with_the_truth_about_each_node()
    {
        var routes = RoutingFixture.Load("nodeport.yaml").Routes();
        var nodePorts = routes.Where(r => r.Kind == NodePort).ToList();

        Assert.All(nodePorts, r => Assert.Equal(("80", 30080), (r.ServicePort, r.Port)));
        One(nodePorts, NodePort, Node, "10.0.0.1").Is(Ready);
        One(nodePorts, NodePort, External, "203.0.113.1").Is(Ready);
        One(nodePorts, NodePort, Node, "10.0.0.2").Is(Ready);
        // node-b has no ExternalIP: outside clients may or may not reach its InternalIP.
        Assert.Contains("Node node-b has no ExternalIP", One(nodePorts, NodePort, External, "10.0.0.2").Is(Unknown, "KE4001").Finding("KE4001").Message);
        One(nodePorts, NodePort, Node, "10.0.0.3").Is(Unknown, "KE4003");
        One(nodePorts, NodePort, External, "203.0.113.3").Is(Unknown, "KE4003");
        Assert.Equal(6, nodePorts.Count); // the Hostname address is not a route

        One(routes, ClusterIP, Pod).Is(Ready);
        Assert.DoesNotContain(routes, r => r.Kind == DnsSrv); // SRV records exist only for named ports
        One(routes, EnvVar, Pod, "$WEB_SERVICE_HOST:$WEB_SERVICE_PORT");
    }

    [Fact]
    public void LoadBalancer_without_an_address_is_Pending_and_its_NodePorts_still_work()
    {
        var routes = RoutingFixture.Load("loadbalancer-pending.yaml").Routes();

        var lb = One(routes, LoadBalancer, External).Is(Pending, "KE1003");
        Assert.Equal(("(pending)", 80), (lb.Address, lb.Port));
        Assert.Contains("status.loadBalancer has no ingress address", lb.Finding("KE1003").Message);
        One(routes, NodePort, External, "203.0.113.1").Is(Ready);
    }

    [Fact]
    public void LoadBalancer_with_an_address_is_Ready_on_it()
    {
        var routes = RoutingFixture.Load("loadbalancer-ready.yaml").Routes();

        var lb = One(routes, LoadBalancer, External).Is(Ready);
        Assert.Equal(("198.51.100.10", 80), (lb.Address, lb.Port));
        Assert.Single(lb.Backends);
    }

    [Fact]
    public void ExternalTrafficPolicy_Local_breaks_only_the_nodes_without_a_local_ready_pod()
    {
        var routes = RoutingFixture.Load("external-traffic-local.yaml").Routes();

        One(routes, NodePort, External, "203.0.113.1").Is(Ready);
        One(routes, NodePort, Node, "10.0.0.1").Is(Ready);
        var broken = One(routes, NodePort, External, "203.0.113.2").Is(Broken, "KE4002");
        Assert.Contains("node node-b runs no ready pod", broken.Finding("KE4002").Message);
        One(routes, NodePort, Node, "10.0.0.2").Is(Broken, "KE4002");
        One(routes, ClusterIP, Pod).Is(Ready); // the policy is about external traffic only
    }

    [Fact]
    public void ExternalIPs_are_Ready_on_a_node_address_and_Unknown_elsewhere()
    {
        var routes = RoutingFixture.Load("external-ips.yaml").Routes();

        Assert.Equal(8081, One(routes, ExternalIP, External, "203.0.113.1").Is(Ready).Port);
        Assert.Contains("198.51.100.7 of Service shop/web is not an address of any node",
            One(routes, ExternalIP, External, "198.51.100.7").Is(Unknown, "KE1009").Finding("KE1009").Message);
    }

    [Fact]
    public void HostPort_routes_are_per_pod_and_a_pod_that_is_not_running_is_Broken()
    {
        var routes = RoutingFixture.Load("host-port.yaml").Routes();
        var hostPorts = routes.Where(r => r.Kind == HostPort).ToList();

        var outside = One(hostPorts, HostPort, External, "203.0.113.1").Is(Ready);
        Assert.Equal(8080, outside.Port);
        Assert.Equal("web-1", Assert.Single(outside.Backends).Pod);
        One(hostPorts, HostPort, Node, "10.0.0.1").Is(Ready);
        var pending = One(hostPorts, HostPort, Node, "(unscheduled)").Is(Broken, "KE4004");
        Assert.Contains("Pod shop/web-2 declares the hostPort but is Pending", pending.Finding("KE4004").Message);
        Assert.Equal(3, hostPorts.Count);
        // The pending replica also makes the Service itself Degraded.
        One(routes, ClusterIP, Pod).Is(Degraded, "KE2008");
    }

    [Fact]
    public void HostNetwork_pod_answers_on_its_node_addresses()
    {
        var routes = RoutingFixture.Load("host-network.yaml").Routes();

        Assert.Equal(9100, One(routes, HostNetwork, External, "203.0.113.1").Is(Ready).Port);
        One(routes, HostNetwork, Node, "10.0.0.1").Is(Ready);
        Assert.DoesNotContain(routes, r => r.Kind == HostPort);
    }

    [Fact]
    public void Unreadable_nodes_make_node_routes_Unknown()
    {
        var routes = RoutingFixture.Load("nodes-unreadable.yaml").Routes();

        var route = One(routes, NodePort, External).Is(Unknown, "KE4005");
        Assert.Equal(("(node addresses)", 30086), (route.Address, route.Port));
        Assert.Contains("cannot list nodes", route.Finding("KE4005").Message);
        One(routes, NodePort, Node).Is(Unknown, "KE4005");
        One(routes, ClusterIP, Pod).Is(Ready);
    }
}
