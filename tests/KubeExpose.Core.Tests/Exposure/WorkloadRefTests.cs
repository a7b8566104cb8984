using KubeExpose.Core.Exposure;
using Xunit;

namespace KubeExpose.Core.Tests.Exposure;

public sealed class WorkloadRefTests
{
    [Theory]
    [InlineData("deploy/web", WorkloadKind.Deployment)]
    [InlineData("deployment/web", WorkloadKind.Deployment)]
    [InlineData("deployments/web", WorkloadKind.Deployment)]
    [InlineData("deployment.apps/web", WorkloadKind.Deployment)]
    [InlineData("Deployment/web", WorkloadKind.Deployment)]
    [InlineData("sts/web", WorkloadKind.StatefulSet)]
    [InlineData("statefulset.apps/web", WorkloadKind.StatefulSet)]
    [InlineData("ds/web", WorkloadKind.DaemonSet)]
    [InlineData("daemonsets.apps/web", WorkloadKind.DaemonSet)]
    [InlineData("rs/web", WorkloadKind.ReplicaSet)]
    [InlineData("replicaset.apps/web", WorkloadKind.ReplicaSet)]
    [InlineData("rc/web", WorkloadKind.ReplicationController)]
    [InlineData("replicationcontroller/web", WorkloadKind.ReplicationController)]
    [InlineData("job/web", WorkloadKind.Job)]
    [InlineData("job.batch/web", WorkloadKind.Job)]
    [InlineData("pod/web", WorkloadKind.Pod)]
    [InlineData("po/web", WorkloadKind.Pod)]
    [InlineData("svc/web", WorkloadKind.Service)]
    [InlineData("service/web", WorkloadKind.Service)]
    public void Parses_kubectl_short_and_long_names(string text, WorkloadKind kind)
    {
        var parsed = WorkloadRef.Parse(text);
        Assert.Equal(kind, parsed.Kind);
        Assert.Equal("web", parsed.Name);
    }

    [Fact]
    public void Prints_the_kubectl_resource_name() =>
        Assert.Equal("statefulset/db", WorkloadRef.Parse("sts/db").ToString());

    [Theory]
    [InlineData("web")]
    [InlineData("deploy/")]
    [InlineData("/web")]
    [InlineData("deploy/web/extra")]
    public void Rejects_text_that_is_not_type_slash_name(string text)
    {
        var e = Assert.Throws<KubeExposeException>(() => WorkloadRef.Parse(text));
        Assert.Equal("InvalidWorkloadReference", e.ErrorId);
        Assert.Contains("TYPE/NAME", e.Message);
    }

    [Theory]
    [InlineData("cronjob/nightly")]
    [InlineData("configmap/x")]
    [InlineData("deployment.batch/web")]
    public void Rejects_kinds_that_cannot_be_exposed(string text)
    {
        var e = Assert.Throws<KubeExposeException>(() => WorkloadRef.Parse(text));
        Assert.Equal("UnsupportedWorkloadKind", e.ErrorId);
        Assert.Equal(KubeExposeErrorKind.InvalidArgument, e.Kind);
    }
}
