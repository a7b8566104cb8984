using KubeExpose.Core.Tunnels;
using Xunit;

namespace KubeExpose.Core.Tests.Tunnels;

/// <summary>
/// kubectl proxy's filter semantics (pkg/proxy/proxy_server.go, kubectl proxy --help): comma-separated regexes, each
/// searched unanchored; reject-paths and reject-methods win; a request needs an accepted path and Host.
/// </summary>
public sealed class ProxyFilterTests
{
    private readonly ProxyFilter _defaults = new();

    [Theory]
    [InlineData("GET", "/api/v1/namespaces", "localhost:8001", true)]
    [InlineData("GET", "/api/v1/namespaces", "127.0.0.1:8001", true)]
    [InlineData("GET", "/api/v1/namespaces", "127.0.0.1", true)]
    [InlineData("GET", "/api/v1/namespaces", "localhost", true)]
    [InlineData("GET", "/api/v1/namespaces", "[::1]:8001", true)] // kubernetes#77496 fixed: brackets kept
    [InlineData("GET", "/api/v1/namespaces", "[::1]", true)]
    [InlineData("GET", "/api/v1/namespaces", "evil.example:8001", false)]
    [InlineData("GET", "/api/v1/namespaces", "localhost.evil.example", false)]
    [InlineData("GET", "/api/v1/namespaces", "127.0.0.1.nip.io", false)]
    [InlineData("GET", "/api/v1/namespaces", "", false)]
    [InlineData("GET", "/api/v1/namespaces", null, false)]
    [InlineData("POST", "/api/v1/namespaces/default/pods/web/exec", "localhost", false)]
    [InlineData("GET", "/api/v1/namespaces/default/pods/web/exec?command=sh", "localhost", false)]
    [InlineData("GET", "/api/v1/namespaces/default/pods/web/attach", "localhost", false)]
    [InlineData("GET", "/api/v1/namespaces/default/pods/web/log", "localhost", true)]
    [InlineData("GET", "/api/v1/namespaces/default/pods/web/portforward", "localhost", true)]
    [InlineData("DELETE", "/api/v1/namespaces/default/pods/web", "localhost", true)] // ^$ rejects no method
    [InlineData("GET", "/apis/apps/v1/deployments", "localhost", true)]
    // Not rejected by kubectl's defaults either: the regexes only cover the core group path shape.
    [InlineData("GET", "/apis/v1/namespaces/default/pods/web/exec", "localhost", true)]
    public void Default_filter_matches_kubectl(string method, string path, string? host, bool accepted) =>
        Assert.Equal(accepted, _defaults.Accept(method, path, host));

    [Fact]
    public void Reject_methods_are_searched_unanchored()
    {
        var filter = new ProxyFilter(rejectMethods: "POST,PUT,PATCH");
        Assert.False(filter.Accept("POST", "/api", "localhost"));
        Assert.False(filter.Accept("PATCH", "/api", "localhost"));
        Assert.True(filter.Accept("GET", "/api", "localhost"));
        Assert.True(filter.Accept("DELETE", "/api", "localhost"));
    }

    [Fact]
    public void Empty_options_are_empty_lists_that_match_nothing()
    {
        // An empty accept list accepts nothing; an empty reject list rejects nothing (and is warned about).
        Assert.False(new ProxyFilter(acceptHosts: "").Accept("GET", "/api", "localhost"));
        Assert.False(new ProxyFilter(acceptPaths: "").Accept("GET", "/api", "localhost"));
        var open = new ProxyFilter(rejectPaths: "", rejectMethods: "");
        Assert.True(open.Accept("POST", "/api/v1/namespaces/x/pods/y/exec", "localhost"));
        Assert.Equal(2, open.Warnings.Count());
        Assert.Empty(_defaults.Warnings);
    }

    [Fact]
    public void Accept_paths_limit_what_passes_and_reject_wins()
    {
        var filter = new ProxyFilter(acceptPaths: "^/api/v1/namespaces/default/", rejectPaths: "secrets");
        Assert.True(filter.Accept("GET", "/api/v1/namespaces/default/pods", "localhost"));
        Assert.False(filter.Accept("GET", "/api/v1/namespaces/kube-system/pods", "localhost"));
        Assert.False(filter.Accept("GET", "/api/v1/namespaces/default/secrets", "localhost"));
    }

    [Fact]
    public void Any_host_can_be_allowed_explicitly() =>
        Assert.True(new ProxyFilter(acceptHosts: ".*").Accept("GET", "/api", "anything.example:1234"));

    [Fact]
    public void Invalid_expressions_name_the_option()
    {
        var e = Assert.Throws<KubeExposeException>(() => new ProxyFilter(acceptPaths: "^/api/(unclosed"));
        Assert.Equal("InvalidFilterExpression", e.ErrorId);
        Assert.Contains("AcceptPaths", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("localhost:8001", "localhost")]
    [InlineData("localhost", "localhost")]
    [InlineData("[::1]:8001", "[::1]")]
    [InlineData("[::1]", "[::1]")]
    [InlineData("::1", "::1")]
    [InlineData("10.0.0.1:80", "10.0.0.1")]
    public void Host_header_loses_only_its_port(string header, string host) => Assert.Equal(host, ProxyFilter.HostOf(header));
}
