using KubeExpose.Core.Exposure;
using Xunit;

namespace KubeExpose.Core.Tests.Exposure;

public sealed class KubeNamesTests
{
    [Theory]
    [InlineData("web", true)]
    [InlineData("web-1", true)]
    [InlineData("a", true)]
    [InlineData("1web", false)]
    [InlineData("Web", false)]
    [InlineData("web.api", false)]
    [InlineData("-web", false)]
    public void Dns1035(string name, bool valid) => Assert.Equal(valid, KubeNames.Dns1035LabelError(name) is null);

    [Fact]
    public void Dns1035_length() => Assert.Contains("63", KubeNames.Dns1035LabelError(new string('a', 64)));

    [Theory]
    [InlineData("web.example.test", true)]
    [InlineData("*.example.test", true)]
    [InlineData("10.0.0.1", false)]
    [InlineData("Web.example", false)]
    [InlineData("web..example", false)]
    public void Ingress_hosts(string host, bool valid) => Assert.Equal(valid, KubeNames.IngressHostError(host) is null);

    [Theory]
    [InlineData("http", 80, "TCP", true)]
    [InlineData("web-ui", 3001, "TCP", true)]
    [InlineData(null, 8080, "TCP", true)]
    [InlineData("sql", 5432, "TCP", false)]
    [InlineData(null, 80, "UDP", false)]
    public void Http_looking_ports(string? name, int number, string protocol, bool http) =>
        Assert.Equal(http, ExternalChoice.LooksHttp(name, number, protocol));
}
