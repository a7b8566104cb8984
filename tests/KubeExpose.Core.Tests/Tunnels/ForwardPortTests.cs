using KubeExpose.Core.Tunnels;
using Xunit;

namespace KubeExpose.Core.Tests.Tunnels;

/// <summary>kubectl port-forward's port syntax: LOCAL:REMOTE, :REMOTE, REMOTE, names.</summary>
public sealed class ForwardPortTests
{
    [Theory]
    [InlineData("8080:80", 8080, "80")]
    [InlineData(":80", 0, "80")]
    [InlineData("80", 80, "80")]
    [InlineData("0:80", 0, "80")]
    [InlineData("8080:http", 8080, "http")]
    [InlineData(":http", 0, "http")]
    [InlineData(" 5000:6000 ", 5000, "6000")]
    public void Parses_kubectl_syntax(string text, int local, string remote)
    {
        var port = ForwardPort.Parse(text);
        Assert.Equal(local, port.Local);
        Assert.Equal(remote, port.Remote);
    }

    [Fact]
    public void A_bare_name_listens_on_the_number_it_resolves_to()
    {
        var port = ForwardPort.Parse("http");
        Assert.Null(port.Local);
        Assert.Equal("http", port.Remote);
        Assert.Null(port.RemoteNumber);
        Assert.Equal("http", port.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("8080:")]
    [InlineData("1:2:3")]
    [InlineData("8080:0")]
    [InlineData("8080:70000")]
    [InlineData("70000:80")]
    [InlineData("-1:80")]
    [InlineData("abc:80")]
    [InlineData("8080:HTTP")]
    [InlineData("8080:-web")]
    [InlineData("8080:a--b")]
    [InlineData("8080:averyveryverylongname")]
    [InlineData("8080:123-456")]
    public void Rejects_what_kubectl_rejects(string text)
    {
        var e = Assert.Throws<KubeExposeException>(() => ForwardPort.Parse(text));
        Assert.Equal("InvalidPortSpec", e.ErrorId);
        Assert.Contains("8080:80", e.Message, StringComparison.Ordinal); // the message shows the syntax
    }

    [Theory]
    [InlineData("8080:80")]
    [InlineData(":80")]
    [InlineData("80")]
    [InlineData("http")]
    public void Round_trips_through_ToString(string text) =>
        Assert.Equal(ForwardPort.Parse(text), ForwardPort.Parse(ForwardPort.Parse(text).ToString()));
}
