using KubeExpose.Core.Exposure;
using Xunit;

namespace KubeExpose.Core.Tests.Exposure;

public sealed class InferenceTests
{
    [Theory]
    [InlineData("deployment.yaml", WorkloadKind.Deployment, "app=web")]
    [InlineData("statefulset.yaml", WorkloadKind.StatefulSet, "app=db")]
    [InlineData("daemonset.yaml", WorkloadKind.DaemonSet, "app=agent")]
    [InlineData("replicaset.yaml", WorkloadKind.ReplicaSet, "app=web,pod-template-hash=5d8f")]
    [InlineData("replicationcontroller.yaml", WorkloadKind.ReplicationController, "app=legacy")]
    [InlineData("job.yaml", WorkloadKind.Job, "controller-uid=0d1c7a3e-9f1b-4c8e-8a55-3c2f2b7d1e10")]
    [InlineData("pod.yaml", WorkloadKind.Pod, "app=web")]
    [InlineData("service.yaml", WorkloadKind.Service, "app=web")]
    public void Selector_for_every_kind(string fixture, WorkloadKind kind, string expected)
    {
        var workload = Fixtures.Load(fixture);
        Assert.Equal(kind, workload.Kind);
        var (selector, warnings) = SelectorInference.Infer(workload);
        Assert.Equal(expected, string.Join(",", selector.OrderBy(p => p.Key).Select(p => $"{p.Key}={p.Value}")));
        Assert.Empty(warnings);
    }

    [Fact]
    public void MatchExpressions_become_the_template_labels_that_satisfy_them()
    {
        var (selector, warnings) = SelectorInference.Infer(Fixtures.Load("deployment-expressions.yaml"));
        Assert.Equal("app=api,env=prod,tier=backend,track=stable",
            string.Join(",", selector.OrderBy(p => p.Key).Select(p => $"{p.Key}={p.Value}")));
        var warning = Assert.Single(warnings);
        Assert.Contains("canary DoesNotExist", warning);
    }

    [Fact]
    public void Unsatisfied_expression_names_the_label_to_add()
    {
        var e = Assert.Throws<KubeExposeException>(() => SelectorInference.Infer(Fixtures.Load("deployment-unsatisfied.yaml")));
        Assert.Equal("SelectorNotSatisfiedByTemplate", e.ErrorId);
        Assert.Contains("tier=backend", e.Message);
        Assert.Contains("spec.template.metadata.labels", e.Message);
        Assert.Equal("deployment/broken in namespace shop", e.Target);
    }

    [Fact]
    public void Pod_without_labels_says_how_to_label_it()
    {
        var e = Assert.Throws<KubeExposeException>(() => SelectorInference.Infer(Fixtures.Load("pod-no-labels.yaml")));
        Assert.Equal("PodHasNoLabels", e.ErrorId);
        Assert.Contains("kubectl label pod lonely -n shop", e.Message);
    }

    [Fact]
    public void Ports_come_from_containers_and_native_sidecars_with_names_and_protocols()
    {
        var ports = PortInference.Infer(Fixtures.Load("deployment.yaml"));
        Assert.Equal(
            ["http 80 TCP web False", "admin 8081 TCP web False", "metrics 9090 TCP proxy True"],
            ports.Select(p => $"{p.Name} {p.Number} {p.Protocol} {p.Container} {p.IsSidecar}"));
    }

    [Fact]
    public void Same_number_on_tcp_and_udp_is_two_ports()
    {
        var ports = PortInference.Infer(Fixtures.Load("daemonset.yaml"));
        Assert.Equal(["53/UDP", "53/TCP", "8125/TCP"], ports.Select(p => $"{p.Number}/{p.Protocol}"));
    }

    [Fact]
    public void Service_ports_keep_their_target_port()
    {
        var ports = PortInference.Infer(Fixtures.Load("service.yaml"));
        Assert.Equal(["http 80 http", "admin 8081 8081"], ports.Select(p => $"{p.Name} {p.Number} {p.TargetPort}"));
    }
}
