using KubeExpose.Core.Model;
using KubeExpose.Core.Routing;
using Xunit;
using static KubeExpose.Core.Model.RouteKind;
using static KubeExpose.Core.Model.RouteStatus;
using static KubeExpose.Core.Model.Vantage;
using static KubeExpose.Core.Tests.Routing.RouteAssert;

namespace KubeExpose.Core.Tests.Routing;

/// <summary>The in-cluster routes of a Service and the verdicts that come from its selector, pods and endpoints.</summary>
public sealed class ServiceRoutesTests
{
    [Fact]
    public void Healthy_ClusterIP_service_has_every_in_cluster_route_Ready()
    {
        var routes = RoutingFixture.Load("healthy-clusterip.yaml").Routes();

        Assert.Equal([ClusterIP, DnsName, DnsSrv, EnvVar, ApiServerProxy], routes.Select(r => r.Kind).Distinct().Order());
        Assert.DoesNotContain(routes, r => r.Vantage == External);
        Assert.All(routes, r => Assert.Equal(("shop", "web", "http", "TCP"), (r.Namespace, r.Service, r.ServicePort, r.Protocol)));

        var pod = One(routes, ClusterIP, Pod).Is(Ready);
        Assert.Equal(("10.96.0.10", 80), (pod.Address, pod.Port));
        Assert.Equal(["web-1@10.1.0.11:8080", "web-2@10.1.0.12:8080"], pod.Backends.Select(b => $"{b.Pod}@{b.Address}:{b.Port}"));
        Assert.All(pod.Backends, b => Assert.True(b.Ready));
        One(routes, ClusterIP, Node).Is(Ready);

        One(routes, DnsName, Pod, "web.shop.svc.cluster.local").Is(Ready);
        Assert.Contains("only from pods in namespace shop", One(routes, DnsName, Pod, "web").Is(Ready, "KE1008").Finding("KE1008").Message);
        One(routes, DnsName, Pod, "web.shop").Is(Ready, "KE1008");
        Assert.Equal(80, One(routes, DnsSrv, Pod, "_http._tcp.web.shop.svc.cluster.local").Is(Ready).Port);

        var env = One(routes, EnvVar, Pod, "$WEB_SERVICE_HOST:$WEB_SERVICE_PORT_HTTP").Is(Ready, "KE1007");
        // web-1 is older than the Service; web-2 is newer; 'other' opted out of service links.
        Assert.Contains("1 pod(s) are older and lack them: web-1.", env.Finding("KE1007").Message);

        var proxy = One(routes, ApiServerProxy, Operator).Is(Ready);
        Assert.Equal("/api/v1/namespaces/shop/services/web:http/proxy/", proxy.Url);
        Assert.Null(proxy.Port);
    }

    [Fact]
    public void Selector_that_matches_no_pod_breaks_every_route()
    {
        var routes = RoutingFixture.Load("selector-matches-no-pods.yaml").Routes();

        Assert.Contains(routes, r => r.Kind == NodePort);
        Assert.All(routes.Where(r => r.Kind is not (DnsName or EnvVar)), r => r.Is(Broken, "KE2001"));
        var finding = One(routes, ClusterIP, Pod).Finding("KE2001");
        Assert.Equal(FindingSeverity.Error, finding.Severity);
        Assert.Contains("Selector app=wbe of Service shop/web matches no pods", finding.Message);
        Assert.Contains("--show-labels", finding.Remedy);
    }

    [Fact]
    public void Service_without_selector_or_endpoints_is_Broken()
    {
        var routes = RoutingFixture.Load("no-selector-no-endpoints.yaml").Routes();

        var route = One(routes, ClusterIP, Pod).Is(Broken, "KE1001");
        Assert.Equal(("legacy-db", "5432", 5432), (route.Service, route.ServicePort, route.Port));
        One(routes, ApiServerProxy, Operator).Is(Broken, "KE1001");
        Assert.Empty(route.Backends);
    }

    [Fact]
    public void Hand_made_endpoints_work_through_the_ClusterIP_but_not_the_API_server_proxy()
    {
        var routes = RoutingFixture.Load("hand-made-endpoints.yaml").Routes();

        var clusterIp = One(routes, ClusterIP, Pod).Is(Ready, "KE1002");
        Assert.Equal("192.168.50.5", Assert.Single(clusterIp.Backends).Address);
        Assert.Null(clusterIp.Backends[0].Pod);
        Assert.Contains("192.168.50.5", One(routes, ApiServerProxy, Operator).Is(Broken, "KE1002").Finding("KE1002").Message);
    }

    [Fact]
    public void Named_targetPort_missing_on_some_pods_counts_native_sidecars_and_names_the_pods_that_lack_it()
    {
        var routes = RoutingFixture.Load("named-port-missing-some.yaml").Routes();

        var route = One(routes, ClusterIP, Pod).Is(Degraded, "KE2002");
        var message = route.Finding("KE2002").Message;
        Assert.EndsWith("which get no traffic on it: web-3.", message);
        Assert.Equal(["web-1:80", "web-2:15001"], route.Backends.Select(b => $"{b.Pod}:{b.Port}"));
    }

    [Fact]
    public void Named_targetPort_missing_on_every_pod_breaks_every_route()
    {
        var routes = RoutingFixture.Load("named-port-missing-all.yaml").Routes();

        Assert.All(routes.Where(r => r.Kind is ClusterIP or NodePort or ApiServerProxy), r => r.Is(Broken, "KE2003"));
        var finding = One(routes, ClusterIP, Pod).Finding("KE2003");
        Assert.Contains("targetPort 'http' of Service shop/web is not a named port of any selected pod (web-1, web-2)", finding.Message);
        Assert.Empty(One(routes, ClusterIP, Pod).Backends);
    }

    [Fact]
    public void Numeric_targetPort_the_pods_do_not_declare_is_Unknown_not_Ready()
    {
        var routes = RoutingFixture.Load("numeric-port-undeclared.yaml").Routes();

        var finding = One(routes, ClusterIP, Pod).Is(Unknown, "KE2004").Finding("KE2004");
        Assert.Contains("targetPort 8080", finding.Message);
        Assert.Contains("web-1, which declare 80/TCP", finding.Message);
        One(routes, ApiServerProxy, Operator).Is(Unknown, "KE2004");
    }

    [Fact]
    public void Pods_that_declare_no_ports_leave_the_route_Unknown()
    {
        var routes = RoutingFixture.Load("no-ports-declared.yaml").Routes();

        One(routes, ClusterIP, Pod).Is(Unknown, "KE2005");
        Assert.Equal("80", One(routes, ClusterIP, Pod).ServicePort);
    }

    [Fact]
    public void Protocol_mismatch_is_Broken_and_a_UDP_port_has_no_API_server_proxy_route()
    {
        var routes = RoutingFixture.Load("protocol-mismatch.yaml").Routes();

        var route = One(routes, ClusterIP, Pod).Is(Broken, "KE2006");
        Assert.Equal("UDP", route.Protocol);
        Assert.Contains("port dns is UDP but the container port is TCP on web-1", route.Finding("KE2006").Message);
        Assert.DoesNotContain(routes, r => r.Kind == ApiServerProxy);
        Assert.Equal("_dns._udp.web.shop.svc.cluster.local", One(routes, DnsSrv, Pod).Address);
    }

    [Fact]
    public void No_ready_pod_is_Broken_and_names_the_pods()
    {
        var routes = RoutingFixture.Load("pods-none-ready.yaml").Routes();

        var route = One(routes, ClusterIP, Pod).Is(Broken, "KE2007");
        Assert.Contains("web-1, web-2", route.Finding("KE2007").Message);
        Assert.All(route.Backends, b => Assert.False(b.Ready));
    }

    [Fact]
    public void Some_pods_not_ready_is_Degraded()
    {
        var routes = RoutingFixture.Load("pods-some-not-ready.yaml").Routes();

        var route = One(routes, ClusterIP, Pod).Is(Degraded, "KE2008");
        Assert.EndsWith("get no traffic: web-2.", route.Finding("KE2008").Message);
        Assert.Equal(["web-1 True", "web-2 False"], route.Backends.Select(b => $"{b.Pod} {b.Ready}"));
    }

    [Fact]
    public void Ready_pods_that_the_endpoints_do_not_list_are_no_ready_endpoints()
    {
        var routes = RoutingFixture.Load("no-ready-endpoints.yaml").Routes();

        One(routes, ClusterIP, Pod).Is(Broken, "KE2009");
        One(routes, ApiServerProxy, Operator).Is(Broken, "KE2009");
    }

    [Fact]
    public void Session_affinity_is_noted_without_changing_the_verdict()
    {
        var routes = RoutingFixture.Load("session-affinity.yaml").Routes();

        Assert.Contains("timeout 600s", One(routes, ClusterIP, Pod).Is(Ready, "KE1005").Finding("KE1005").Message);
    }

    [Fact]
    public void PublishNotReadyAddresses_sends_traffic_to_unready_pods_so_the_route_is_Degraded()
    {
        var routes = RoutingFixture.Load("publish-not-ready.yaml").Routes();

        var route = One(routes, ClusterIP, Pod).Is(Degraded, "KE1006");
        Assert.EndsWith("pods that are not ready: web-2.", route.Finding("KE1006").Message);
    }

    [Fact]
    public void Headless_service_has_a_route_per_pod_judged_alone_and_its_name_leads_to_the_pod_port()
    {
        var routes = RoutingFixture.Load("headless.yaml").Routes();

        Assert.DoesNotContain(routes, r => r.Kind is ClusterIP or EnvVar);
        var ready = One(routes, Headless, Pod, "10.1.0.20").Is(Ready, "KE1010");
        Assert.Equal(8080, ready.Port);
        Assert.Contains("web-0.web.shop.svc.cluster.local", ready.Finding("KE1010").Message);
        Assert.Equal("web-0", Assert.Single(ready.Backends).Pod);
        var unready = One(routes, Headless, Pod, "10.1.0.21").Is(Broken, "KE1010", "KE2010");
        Assert.Contains("10-1-0-21.web.shop.svc.cluster.local", unready.Finding("KE1010").Message);

        var name = One(routes, DnsName, Pod, "web.shop.svc.cluster.local").Is(Degraded, "KE2008");
        Assert.Equal(8080, name.Port);
        One(routes, ApiServerProxy, Operator).Is(Degraded, "KE2008");
    }

    [Fact]
    public void ExternalName_service_is_a_CNAME_whose_target_is_Unknown()
    {
        var routes = RoutingFixture.Load("external-name.yaml").Routes();

        Assert.Equal(2, routes.Count);
        var cname = One(routes, ExternalName, Pod).Is(Unknown, "KE1004");
        Assert.Equal(("api.payments.example.com", 443, "payments"), (cname.Address, cname.Port, cname.Service));
        Assert.Empty(cname.Backends);
        One(routes, DnsName, Pod, "payments.shop.svc.cluster.local").Is(Unknown, "KE1004");
    }

    [Fact]
    public void Each_port_is_judged_on_its_own()
    {
        var routes = RoutingFixture.Load("multi-port.yaml").Routes();

        var http = routes.Single(r => r.Kind == ClusterIP && r.Vantage == Pod && r.ServicePort == "http").Is(Ready);
        Assert.Equal(8080, Assert.Single(http.Backends).Port);
        Assert.Equal(8443, Assert.Single(routes.Single(r => r.Kind == ClusterIP && r.Vantage == Pod && r.ServicePort == "https").Is(Ready).Backends).Port);
        routes.Single(r => r.Kind == ClusterIP && r.Vantage == Pod && r.ServicePort == "metrics").Is(Broken, "KE2003");
        Assert.Equal("/api/v1/namespaces/shop/services/https:web:https/proxy/", routes.Single(r => r.Kind == ApiServerProxy && r.ServicePort == "https").Url);
        Assert.Equal("$WEB_SERVICE_HOST:$WEB_SERVICE_PORT_METRICS", routes.Single(r => r.Kind == EnvVar && r.ServicePort == "metrics").Address);
    }

    [Fact]
    public void Every_route_kind_the_model_builds_is_covered_by_a_fixture()
    {
        var kinds = RoutingFixture.All().SelectMany(f => RoutingFixture.Load((string)f[0]).Routes()).Select(r => r.Kind).ToHashSet();

        // PortForward routes come from tunnels, not from the snapshot.
        Assert.Equal(Enum.GetValues<RouteKind>().Where(k => k != PortForward).Order(), kinds.Order());
    }

    [Fact]
    public void Unknown_service_names_are_reported_and_others_are_not_built()
    {
        var set = RouteModel.Build(RoutingFixture.Load("healthy-clusterip.yaml").Snapshot(), ["ghost", "web", "ghost"]);

        Assert.Equal(["ghost"], set.UnknownServices);
        Assert.NotEmpty(set.Routes);
        Assert.Empty(RouteModel.Build(RoutingFixture.Load("healthy-clusterip.yaml").Snapshot(), ["ghost"]).Routes);
    }
}
