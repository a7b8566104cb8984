using KubeExpose.Core.Exposure;
using Xunit;

namespace KubeExpose.Core.Tests.Exposure;

public sealed class ExposurePlannerTests
{
    private static readonly ClusterFacts Bare = new();

    private static ExposurePlan Plan(string fixture, string target, Func<ExposureRequest, ExposureRequest>? change = null, ClusterFacts? facts = null) =>
        ExposurePlanner.Plan(Fixtures.Load(fixture), Fixtures.Request(target, change), facts ?? Bare);

    private static KubeExposeException Fails(string fixture, string target, Func<ExposureRequest, ExposureRequest>? change = null, ClusterFacts? facts = null) =>
        Assert.Throws<KubeExposeException>(() => Plan(fixture, target, change, facts));

    [Fact]
    public void Multi_port_service_names_every_port_and_keeps_declared_names()
    {
        var plan = Plan("deployment.yaml", "deploy/web");
        var spec = plan.ServiceManifest.Spec;
        Assert.Equal("ClusterIP", spec.Type);
        Assert.Equal(["http:80->80/TCP", "admin:8081->8081/TCP", "metrics:9090->9090/TCP"],
            spec.Ports.Select(p => $"{p.Name}:{p.Port}->{p.TargetPort.Value}/{p.Protocol}"));
        Assert.Equal("web", plan.ServiceName);
        Assert.Equal("shop", plan.ServiceManifest.Metadata.NamespaceProperty);
        Assert.Equal("frontend", plan.ServiceManifest.Metadata.Labels["tier"]);
    }

    [Fact]
    public void Unnamed_ports_get_names_that_include_the_protocol_when_numbers_repeat()
    {
        var plan = Plan("daemonset.yaml", "ds/agent");
        Assert.Equal(["port-53-udp", "port-53", "port-8125"], plan.ServiceManifest.Spec.Ports.Select(p => p.Name));
    }

    [Fact]
    public void Single_unnamed_port_stays_unnamed_like_kubectl()
    {
        var plan = Plan("replicationcontroller.yaml", "rc/legacy");
        var port = Assert.Single(plan.ServiceManifest.Spec.Ports);
        Assert.Null(port.Name);
        Assert.Equal(80, port.Port);
    }

    [Fact]
    public void Port_maps_to_the_declared_container_port_it_replaces()
    {
        var plan = Plan("deployment-single-port.yaml", "deploy/web", r => r with { Ports = [8080] });
        var port = Assert.Single(plan.ServiceManifest.Spec.Ports);
        Assert.Equal("8080->80 http", $"{port.Port}->{port.TargetPort.Value} {port.Name}");
    }

    [Fact]
    public void TargetPort_by_name_must_be_declared()
    {
        var plan = Plan("deployment-single-port.yaml", "deploy/web", r => r with { Ports = [80], TargetPorts = ["http"] });
        Assert.Equal("http", plan.ServiceManifest.Spec.Ports[0].TargetPort.Value);
        var e = Fails("deployment-single-port.yaml", "deploy/web", r => r with { Ports = [80], TargetPorts = ["web"] });
        Assert.Equal("NamedTargetPortNotDeclared", e.ErrorId);
        Assert.Contains("named ports: http", e.Message);
    }

    [Fact]
    public void No_ports_asks_for_Port_except_headless()
    {
        var e = Fails("deployment-no-ports.yaml", "deploy/quiet");
        Assert.Equal("NoPortsFound", e.ErrorId);
        Assert.Contains("-Port", e.Message);
        var headless = Plan("deployment-no-ports.yaml", "deploy/quiet", r => r with { Type = "Headless" });
        Assert.Equal("None", headless.ServiceManifest.Spec.ClusterIP);
        Assert.Equal("Headless", headless.ServiceType);
        Assert.Null(headless.ServiceManifest.Spec.Ports);
    }

    [Theory]
    [InlineData("Web")]
    [InlineData("1web")]
    [InlineData("web_api")]
    [InlineData("web-")]
    public void Service_name_must_be_dns_1035(string name)
    {
        var e = Fails("deployment.yaml", "deploy/web", r => r with { ServiceName = name });
        Assert.Equal("InvalidServiceName", e.ErrorId);
        Assert.Equal(name, e.Target);
    }

    [Fact]
    public void Long_workload_names_are_truncated_to_63_like_kubectl() =>
        Assert.Equal(63, KubeNames.ServiceNameFor(new string('a', 80)).Length);

    [Fact]
    public void NodePort_is_checked_against_the_range_and_ports_in_use()
    {
        var plan = Plan("deployment-single-port.yaml", "deploy/web", r => r with { NodePorts = [30080] });
        Assert.Equal("NodePort", plan.ServiceManifest.Spec.Type);
        Assert.Equal(30080, plan.ServiceManifest.Spec.Ports[0].NodePort);

        var range = Fails("deployment-single-port.yaml", "deploy/web", r => r with { NodePorts = [8080] });
        Assert.Equal("NodePortOutOfRange", range.ErrorId);
        Assert.Contains("30000-32767", range.Message);

        var taken = Fails("deployment-single-port.yaml", "deploy/web", r => r with { NodePorts = [30080] },
            new ClusterFacts { NodePortsInUse = new Dictionary<int, string> { [30080] = "other/db" } });
        Assert.Equal("NodePortInUse", taken.ErrorId);
        Assert.Equal(KubeExposeErrorKind.Conflict, taken.Kind);
        Assert.Contains("service/db in namespace other", taken.Message);

        // Its own node port is not "taken": re-running the same command must work.
        var again = Plan("deployment-single-port.yaml", "deploy/web", r => r with { NodePorts = [30080] },
            new ClusterFacts { NodePortsInUse = new Dictionary<int, string> { [30080] = "shop/web" } });
        Assert.Equal(30080, again.ServiceManifest.Spec.Ports[0].NodePort);

        var count = Fails("deployment.yaml", "deploy/web", r => r with { NodePorts = [30080] });
        Assert.Equal("NodePortCountMismatch", count.ErrorId);
    }

    [Fact]
    public void Several_external_ips_session_affinity_and_traffic_policy()
    {
        var plan = Plan("deployment-single-port.yaml", "deploy/web", r => r with
        {
            Type = "NodePort", ExternalIPs = ["10.211.1.10", "10.211.1.11"], SessionAffinity = "ClientIP",
            SessionAffinityTimeoutSeconds = 600, ExternalTrafficPolicy = "Local",
        });
        var spec = plan.ServiceManifest.Spec;
        Assert.Equal(["10.211.1.10", "10.211.1.11"], spec.ExternalIPs);
        Assert.Equal(600, spec.SessionAffinityConfig.ClientIP.TimeoutSeconds);
        Assert.Equal("Local", spec.ExternalTrafficPolicy);

        Assert.Equal("InvalidExternalIP", Fails("deployment-single-port.yaml", "deploy/web", r => r with { ExternalIPs = ["node1"] }).ErrorId);
        Assert.Equal("AffinityTimeoutWithoutClientIP", Fails("deployment-single-port.yaml", "deploy/web", r => r with { SessionAffinityTimeoutSeconds = 5 }).ErrorId);
        Assert.Equal("TrafficPolicyWithoutExternalType", Fails("deployment-single-port.yaml", "deploy/web", r => r with { ExternalTrafficPolicy = "Local" }).ErrorId);
    }

    [Fact]
    public void ExternalName_needs_a_dns_name_and_no_selector()
    {
        var plan = Plan("deployment-single-port.yaml", "deploy/web", r => r with { Type = "ExternalName", ExternalName = "db.example.com", ServiceName = "ext" });
        Assert.Equal("ExternalName", plan.ServiceManifest.Spec.Type);
        Assert.Equal("db.example.com", plan.ServiceManifest.Spec.ExternalName);
        Assert.Null(plan.ServiceManifest.Spec.Selector);
        Assert.Equal("ExternalNameMissing", Fails("deployment-single-port.yaml", "deploy/web", r => r with { Type = "ExternalName" }).ErrorId);
    }

    [Fact]
    public void Ingress_uses_the_http_port_by_name_class_host_path_and_tls()
    {
        var facts = new ClusterFacts { IngressClasses = [new IngressClassFact("nginx", false, "k8s.io/ingress-nginx")], TlsSecretType = "kubernetes.io/tls" };
        var plan = Plan("deployment.yaml", "deploy/web", r => r with
        {
            Ingress = true, IngressHosts = ["web.example.test"], IngressPath = "/shop", PathType = "ImplementationSpecific", TlsSecret = "web-tls",
        }, facts);
        var ingress = plan.IngressManifest!;
        Assert.Equal("nginx", ingress.Spec.IngressClassName);
        var rule = Assert.Single(ingress.Spec.Rules);
        Assert.Equal("web.example.test", rule.Host);
        var path = Assert.Single(rule.Http.Paths);
        Assert.Equal("/shop ImplementationSpecific web:http", $"{path.Path} {path.PathType} {path.Backend.Service.Name}:{path.Backend.Service.Port.Name}");
        Assert.Equal("web-tls", ingress.Spec.Tls[0].SecretName);
        Assert.Equal("Ingress", plan.Method);
        Assert.Equal(["service/web", "ingress.networking.k8s.io/web"], plan.Objects);
    }

    [Fact]
    public void Ingress_errors_name_the_fix()
    {
        var udp = Fails("daemonset.yaml", "ds/agent", r => r with { Ingress = true, Ports = [53], Protocols = ["UDP"] });
        Assert.Equal("IngressNeedsTcp", udp.ErrorId);
        var missing = Fails("deployment.yaml", "deploy/web", r => r with { Ingress = true, TlsSecret = "nope" });
        Assert.Equal("TlsSecretNotFound", missing.ErrorId);
        Assert.Contains("kubectl create secret tls nope -n shop", missing.Message);
        var wrongType = Fails("deployment.yaml", "deploy/web", r => r with { Ingress = true, TlsSecret = "opaque" }, new ClusterFacts { TlsSecretType = "Opaque" });
        Assert.Equal("TlsSecretWrongType", wrongType.ErrorId);
        var noClass = Fails("deployment.yaml", "deploy/web", r => r with { Ingress = true, IngressClass = "traefik" },
            new ClusterFacts { IngressClasses = [new IngressClassFact("nginx", true, null)] });
        Assert.Equal("IngressClassNotFound", noClass.ErrorId);
        Assert.Contains("nginx", noClass.Message);
        Assert.Equal("InvalidIngressHost", Fails("deployment.yaml", "deploy/web", r => r with { Ingress = true, IngressHosts = ["Web.Example"] }).ErrorId);
        Assert.Equal("InvalidIngressPath", Fails("deployment.yaml", "deploy/web", r => r with { Ingress = true, IngressPath = "shop" }).ErrorId);
    }

    [Fact]
    public void External_picks_load_balancer_when_the_cluster_has_provisioned_one()
    {
        var plan = Plan("deployment.yaml", "deploy/web", r => r with { External = true },
            new ClusterFacts { ProvisionedLoadBalancer = "default/lb-probe", IngressClasses = [new IngressClassFact("nginx", true, null)] });
        Assert.Equal("LoadBalancer", plan.ServiceManifest.Spec.Type);
        Assert.Equal("LoadBalancer", plan.Method);
        Assert.Contains("default/lb-probe", plan.Reason);
        Assert.Null(plan.IngressManifest);
    }

    [Fact]
    public void External_does_not_trust_an_old_address_when_a_load_balancer_has_been_pending_for_long()
    {
        var plan = Plan("deployment.yaml", "deploy/web", r => r with { External = true },
            new ClusterFacts { ProvisionedLoadBalancer = "default/old", StalePendingLoadBalancer = "shop/stuck", IngressClasses = [new IngressClassFact("nginx", true, null)] });
        Assert.Equal("Ingress", plan.Method);
        Assert.Contains("Service shop/stuck has been waiting", plan.Reason);
    }

    [Fact]
    public void External_picks_ingress_for_http_ports_with_a_default_class()
    {
        var plan = Plan("deployment.yaml", "deploy/web", r => r with { External = true },
            new ClusterFacts { IngressClasses = [new IngressClassFact("nginx", true, null), new IngressClassFact("other", false, null)] });
        Assert.Equal("ClusterIP", plan.ServiceManifest.Spec.Type);
        Assert.Equal("Ingress", plan.Method);
        Assert.Equal("nginx", plan.IngressManifest!.Spec.IngressClassName);
        Assert.Contains("cluster default", plan.Reason);
    }

    [Fact]
    public void External_falls_back_to_node_port_and_says_why()
    {
        var noClass = Plan("deployment.yaml", "deploy/web", r => r with { External = true });
        Assert.Equal("NodePort", noClass.ServiceManifest.Spec.Type);
        Assert.Contains("there is no IngressClass", noClass.Reason);

        var notHttp = Plan("statefulset.yaml", "sts/db", r => r with { External = true },
            new ClusterFacts { IngressClasses = [new IngressClassFact("nginx", true, null)] });
        Assert.Equal("NodePort", notHttp.Method);
        Assert.Contains("no port looks like HTTP", notHttp.Reason);

        Assert.Equal("ExternalWithType", Fails("deployment.yaml", "deploy/web", r => r with { External = true, Type = "NodePort" }).ErrorId);
    }

    [Fact]
    public void HostPort_patches_the_declaring_containers_and_warns_about_the_caveats()
    {
        var plan = Plan("deployment.yaml", "deploy/web", r => r with { HostPort = true, Ports = [80, 9090] });
        Assert.Equal(["web 80/TCP->80 False", "proxy 9090/TCP->9090 True"],
            plan.HostPorts.Select(p => $"{p.Container} {p.ContainerPort}/{p.Protocol}->{p.HostPort} {p.IsInitContainer}"));
        Assert.Contains(plan.Warnings, w => w.Contains("rescheduled"));
        Assert.Contains(plan.Warnings, w => w.Contains("Pending"));
        var yaml = plan.ToYaml();
        Assert.Contains("kind: Deployment", yaml);
        Assert.Contains("hostPort: 9090", yaml);
        Assert.Contains("initContainers:", yaml);

        Assert.Equal("HostPortNotPatchable", Fails("pod.yaml", "pod/web-5d8f-abcde", r => r with { HostPort = true }).ErrorId);
        Assert.Equal("HostPortNotPatchable", Fails("job.yaml", "job/batch", r => r with { HostPort = true }).ErrorId);
    }

    [Fact]
    public void Service_reexposed_keeps_ports_and_target_ports()
    {
        var plan = Plan("service.yaml", "svc/web", r => r with { ServiceName = "web-copy", Type = "NodePort" });
        Assert.Equal(["http:80->http", "admin:8081->8081"], plan.ServiceManifest.Spec.Ports.Select(p => $"{p.Name}:{p.Port}->{p.TargetPort.Value}"));
        Assert.Equal("web", plan.ServiceManifest.Spec.Selector["app"]);
    }

    [Fact]
    public void Per_port_lists_must_match_the_port_count()
    {
        var e = Fails("deployment.yaml", "deploy/web", r => r with { Protocols = ["TCP", "UDP"] });
        Assert.Equal("PerPortCountMismatch", e.ErrorId);
        var dup = Fails("deployment-single-port.yaml", "deploy/web", r => r with { Ports = [80, 80] });
        Assert.Equal("DuplicatePort", dup.ErrorId);
    }

    [Fact]
    public void Yaml_is_a_kubectl_style_service_manifest()
    {
        var yaml = Plan("deployment-single-port.yaml", "deploy/web").ToYaml();
        Assert.StartsWith("apiVersion: v1\nkind: Service\n", yaml);
        Assert.Contains("  name: web\n", yaml);
        Assert.Contains("  selector:\n    app: web\n", yaml);
        Assert.DoesNotContain("status", yaml);
        Assert.DoesNotContain("null", yaml);
    }
}
