using KubeExpose.Core.Tunnels;
using Xunit;

namespace KubeExpose.Core.Tests.Tunnels;

public sealed class ForwardTargetTests
{
    [Theory]
    [InlineData("web-1", ForwardTargetKind.Pod, "web-1")]
    [InlineData("pod/web-1", ForwardTargetKind.Pod, "web-1")]
    [InlineData("pods/web-1", ForwardTargetKind.Pod, "web-1")]
    [InlineData("svc/web", ForwardTargetKind.Service, "web")]
    [InlineData("service/web", ForwardTargetKind.Service, "web")]
    [InlineData("deploy/web", ForwardTargetKind.Deployment, "web")]
    [InlineData("deployment.apps/web", ForwardTargetKind.Deployment, "web")]
    [InlineData("rs/web-abc", ForwardTargetKind.ReplicaSet, "web-abc")]
    [InlineData("sts/db", ForwardTargetKind.StatefulSet, "db")]
    [InlineData("DaemonSet/agent", ForwardTargetKind.DaemonSet, "agent")]
    public void Parses_kubectl_type_names(string text, ForwardTargetKind kind, string name)
    {
        var target = ForwardTarget.Parse(text);
        Assert.Equal(kind, target.Kind);
        Assert.Equal(name, target.Name);
    }

    [Theory]
    [InlineData("job/x", "UnsupportedTargetType")]
    [InlineData("svc/", "InvalidTarget")]
    [InlineData("svc/a/b", "InvalidTarget")]
    public void Rejects_unknown_types_and_bad_names(string text, string errorId) =>
        Assert.Equal(errorId, Assert.Throws<KubeExposeException>(() => ForwardTarget.Parse(text)).ErrorId);

    [Fact]
    public void Prints_kubectl_short_names() =>
        Assert.Equal("deploy/web", ForwardTarget.Parse("deployment.apps/web").ToString());
}
