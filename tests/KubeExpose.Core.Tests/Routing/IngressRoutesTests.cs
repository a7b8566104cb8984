using Xunit;
using static KubeExpose.Core.Model.RouteKind;
using static KubeExpose.Core.Model.RouteStatus;
using static KubeExpose.Core.Model.Vantage;
using static KubeExpose.Core.Tests.Routing.RouteAssert;

namespace KubeExpose.Core.Tests.Routing;

/// <summary>Ingress routes: one per address and host/path, the scheme from spec.tls, and what can break them.</summary>
public sealed class IngressRoutesTests
{
    [Fact]
    public void TLS_host_is_https_on_443_and_plain_host_http_on_80()
    {
        var routes = RoutingFixture.Load("ingress-tls.yaml").Routes().Where(r => r.Kind == Ingress).ToList();

        Assert.Equal(2, routes.Count);
        var tls = routes.Single(r => r.Url == "https://shop.example.com/store").Is(Ready);
        Assert.Equal((External, "203.0.113.1", 443, "http"), (tls.Vantage, tls.Address, tls.Port, tls.ServicePort));
        Assert.Equal("web-1", Assert.Single(tls.Backends).Pod);
        var plain = routes.Single(r => r.Url == "http://plain.example.com/").Is(Ready);
        Assert.Equal((80, "http"), (plain.Port, plain.ServicePort)); // the backend's port number resolved to the Service port's name
    }

    [Fact]
    public void Missing_backend_Service_is_Broken_and_reported_under_that_name()
    {
        var fixture = RoutingFixture.Load("ingress-backend-missing.yaml");
        var route = One(fixture.Routes(), Ingress, External).Is(Broken, "KE3001");

        Assert.Equal(("webb", "80"), (route.Service, route.ServicePort));
        Assert.Contains("Service shop/webb, which does not exist", route.Finding("KE3001").Message);
        Assert.DoesNotContain(fixture.Routes(services: "web"), r => r.Kind == Ingress);
    }

    [Fact]
    public void Backend_port_that_is_not_on_the_Service_is_Broken()
    {
        var route = One(RoutingFixture.Load("ingress-port-missing.yaml").Routes(), Ingress, External).Is(Broken, "KE3002");

        Assert.Equal("8080", route.ServicePort);
        Assert.Contains("uses port 8080 of Service shop/web, which has ports http (80)", route.Finding("KE3002").Message);
    }

    [Fact]
    public void Missing_IngressClass_is_Broken()
    {
        var route = One(RoutingFixture.Load("ingress-class-missing.yaml").Routes(), Ingress, External).Is(Broken, "KE3003");

        Assert.Contains("names IngressClass traefik, which does not exist (classes: nginx)", route.Finding("KE3003").Message);
    }

    [Fact]
    public void No_class_and_no_default_class_is_Broken_and_the_default_backend_is_a_route()
    {
        var route = One(RoutingFixture.Load("ingress-no-default-class.yaml").Routes(), Ingress, External).Is(Broken, "KE3004");

        Assert.Equal("http://203.0.113.1/", route.Url);
    }

    [Fact]
    public void Missing_TLS_Secret_is_Broken()
    {
        var route = One(RoutingFixture.Load("ingress-tls-secret-missing.yaml").Routes(), Ingress, External).Is(Broken, "KE3005");

        Assert.Equal(("https://shop.example.com/", 443), (route.Url, route.Port));
    }

    [Fact]
    public void TLS_Secret_of_the_wrong_type_is_Broken_and_a_wildcard_TLS_host_covers_the_rule()
    {
        var route = One(RoutingFixture.Load("ingress-tls-secret-wrong-type.yaml").Routes(), Ingress, External).Is(Broken, "KE3006");

        Assert.Equal("https://shop.example.com/", route.Url);
        Assert.Contains("its type is Opaque", route.Finding("KE3006").Message);
    }

    [Fact]
    public void Ingress_without_an_address_is_Pending()
    {
        var route = One(RoutingFixture.Load("ingress-no-address.yaml").Routes(), Ingress, External).Is(Pending, "KE3007");

        Assert.Equal(("(no address)", "http://shop.example.com/"), (route.Address, route.Url));
    }

    [Fact]
    public void Unreadable_Secrets_leave_a_TLS_Ingress_Unknown_never_Ready()
    {
        var route = One(RoutingFixture.Load("ingress-secrets-unreadable.yaml").Routes(), Ingress, External).Is(Unknown, "KE3008");

        Assert.Contains("TLS Secret shop/shop-tls cannot be read", route.Finding("KE3008").Message);
    }
}
