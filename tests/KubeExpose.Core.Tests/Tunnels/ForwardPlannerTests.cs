using k8s.Models;
using KubeExpose.Core.Tunnels;
using Xunit;

namespace KubeExpose.Core.Tests.Tunnels;

/// <summary>kubectl's port translation: Service port to targetPort per pod, named ports per pod, UDP refused.</summary>
public sealed class ForwardPlannerTests
{
    private static V1Pod Pod(string name, params V1ContainerPort[] ports) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Ports = ports }] },
    };

    private static V1Service Service(string? clusterIp, params V1ServicePort[] ports) => new()
    {
        Metadata = new V1ObjectMeta { Name = "web" },
        Spec = new V1ServiceSpec { Selector = new Dictionary<string, string> { ["app"] = "web" }, ClusterIP = clusterIp, Ports = ports },
    };

    private static List<ForwardPort> Ports(params string[] specs) => specs.Select(ForwardPort.Parse).ToList();

    [Fact]
    public void Service_port_maps_to_the_numeric_target_port()
    {
        var plan = ForwardPlanner.PlanService("ns", ForwardTarget.Parse("svc/web"), Ports("8080:80"),
            Service("10.0.0.1", new V1ServicePort { Port = 80, TargetPort = "8080" }));
        Assert.Equal(8080, plan.RemotePort(Pod("p"), 0));
        Assert.Equal("app=web", plan.LabelSelector);
        Assert.True(plan.RequireReady);
    }

    [Fact]
    public void Named_target_port_is_resolved_per_pod()
    {
        var plan = ForwardPlanner.PlanService("ns", ForwardTarget.Parse("svc/web"), Ports(":http"),
            Service("10.0.0.1", new V1ServicePort { Name = "http", Port = 80, TargetPort = "web" }));
        Assert.Equal(8080, plan.RemotePort(Pod("a", new V1ContainerPort { Name = "web", ContainerPort = 8080 }), 0));
        Assert.Equal(9090, plan.RemotePort(Pod("b", new V1ContainerPort { Name = "web", ContainerPort = 9090 }), 0));
        Assert.Null(plan.RemotePort(Pod("c", new V1ContainerPort { Name = "other", ContainerPort = 1 }), 0));
        Assert.Equal([80], plan.FixedLocalPorts); // a bare Service port name listens on the Service port
    }

    [Fact]
    public void Headless_service_uses_the_port_as_is_and_missing_target_port_means_the_port()
    {
        var headless = ForwardPlanner.PlanService("ns", ForwardTarget.Parse("svc/web"), Ports("80"),
            Service("None", new V1ServicePort { Port = 80, TargetPort = "8080" }));
        Assert.Equal(80, headless.RemotePort(Pod("p"), 0));
        var plain = ForwardPlanner.PlanService("ns", ForwardTarget.Parse("svc/web"), Ports("80"),
            Service("10.0.0.1", new V1ServicePort { Port = 80 }));
        Assert.Equal(80, plain.RemotePort(Pod("p"), 0));
    }

    [Fact]
    public void Undeclared_service_port_and_udp_are_refused()
    {
        var service = Service("10.0.0.1", new V1ServicePort { Name = "dns", Port = 53, Protocol = "UDP" }, new V1ServicePort { Port = 80 });
        var missing = Assert.Throws<KubeExposeException>(() => ForwardPlanner.PlanService("ns", ForwardTarget.Parse("svc/web"), Ports("81"), service));
        Assert.Equal("ServicePortNotFound", missing.ErrorId);
        Assert.Contains("53 (dns), 80", missing.Message, StringComparison.Ordinal);
        var udp = Assert.Throws<KubeExposeException>(() => ForwardPlanner.PlanService("ns", ForwardTarget.Parse("svc/web"), Ports("dns"), service));
        Assert.Equal("UdpNotSupported", udp.ErrorId);
    }

    [Fact]
    public void Service_without_selector_is_refused()
    {
        var service = Service("10.0.0.1", new V1ServicePort { Port = 80 });
        service.Spec.Selector = null;
        Assert.Equal("ServiceHasNoSelector", Assert.Throws<KubeExposeException>(() =>
            ForwardPlanner.PlanService("ns", ForwardTarget.Parse("svc/web"), Ports("80"), service)).ErrorId);
    }

    [Fact]
    public void Pod_ports_numbers_pass_names_resolve_udp_only_is_refused()
    {
        var pod = Pod("p", new V1ContainerPort { Name = "http", ContainerPort = 80 },
            new V1ContainerPort { Name = "dns", ContainerPort = 53, Protocol = "UDP" },
            new V1ContainerPort { Name = "both-tcp", ContainerPort = 54, Protocol = "TCP" },
            new V1ContainerPort { Name = "both-udp", ContainerPort = 54, Protocol = "UDP" });
        Assert.Equal(80, ForwardPlanner.ContainerPort(pod, "http"));
        Assert.Equal(1234, ForwardPlanner.ContainerPort(pod, "1234")); // undeclared numbers are allowed, as in kubectl
        Assert.Equal(54, ForwardPlanner.ContainerPort(pod, "54"));     // TCP and UDP on one number: TCP works
        Assert.Null(ForwardPlanner.ContainerPort(pod, "nope"));
        Assert.Equal("UdpNotSupported", Assert.Throws<KubeExposeException>(() => ForwardPlanner.ContainerPort(pod, "53")).ErrorId);
        Assert.Equal("UdpNotSupported", Assert.Throws<KubeExposeException>(() => ForwardPlanner.ContainerPort(pod, "dns")).ErrorId);
    }

    [Fact]
    public void Init_container_ports_count_for_names()
    {
        var pod = Pod("p");
        pod.Spec.InitContainers = [new V1Container { Name = "sidecar", RestartPolicy = "Always", Ports = [new V1ContainerPort { Name = "metrics", ContainerPort = 9100 }] }];
        Assert.Equal(9100, ForwardPlanner.ContainerPort(pod, "metrics"));
    }

    [Fact]
    public void Workload_selectors_become_label_selector_strings()
    {
        var selector = new V1LabelSelector
        {
            MatchLabels = new Dictionary<string, string> { ["tier"] = "web", ["app"] = "shop" },
            MatchExpressions =
            [
                new V1LabelSelectorRequirement { Key = "env", OperatorProperty = "In", Values = ["prod", "stage"] },
                new V1LabelSelectorRequirement { Key = "canary", OperatorProperty = "DoesNotExist" },
                new V1LabelSelectorRequirement { Key = "zone", OperatorProperty = "Exists" },
                new V1LabelSelectorRequirement { Key = "old", OperatorProperty = "NotIn", Values = ["1"] },
            ],
        };
        var plan = ForwardPlanner.PlanSelector("ns", ForwardTarget.Parse("deploy/shop"), Ports("80"), selector);
        Assert.Equal("app=shop,tier=web,env in (prod,stage),!canary,zone,old notin (1)", plan.LabelSelector);
        Assert.Equal("TargetHasNoSelector", Assert.Throws<KubeExposeException>(() =>
            ForwardPlanner.PlanSelector("ns", ForwardTarget.Parse("deploy/shop"), Ports("80"), new V1LabelSelector())).ErrorId);
    }

    [Fact]
    public void Pod_targets_need_running_not_ready()
    {
        var plan = ForwardPlanner.PlanPod("ns", ForwardTarget.Parse("pod/p"), Ports("80"));
        Assert.False(plan.RequireReady);
        Assert.Equal("p", plan.PodName);
    }
}
