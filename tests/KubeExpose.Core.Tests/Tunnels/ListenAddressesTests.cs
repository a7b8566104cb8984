using System.Net;
using KubeExpose.Core.Tunnels;
using Xunit;

namespace KubeExpose.Core.Tests.Tunnels;

public sealed class ListenAddressesTests
{
    [Fact]
    public void Default_is_localhost_on_both_families_best_effort()
    {
        var addresses = ListenAddresses.Parse(null);
        Assert.Empty(addresses.Required);
        Assert.Equal([IPAddress.Loopback, IPAddress.IPv6Loopback], addresses.BestEffort);
        Assert.True(addresses.LoopbackOnly);
    }

    [Fact]
    public void Explicit_ips_are_required_and_comma_lists_split()
    {
        var addresses = ListenAddresses.Parse(["127.0.0.1,0.0.0.0", "[::1]"]);
        Assert.Equal([IPAddress.Loopback, IPAddress.Any, IPAddress.IPv6Loopback], addresses.Required);
        Assert.False(addresses.LoopbackOnly);
    }

    [Fact]
    public void Host_names_other_than_localhost_are_refused() =>
        Assert.Equal("InvalidAddress", Assert.Throws<KubeExposeException>(() => ListenAddresses.Parse(["example.com"])).ErrorId);

    [Fact]
    public void A_free_port_is_shared_by_every_address_and_busy_ports_fail_clearly()
    {
        var warnings = new List<string>();
        using var listener = LocalListener.Bind(ListenAddresses.Localhost, 0, warnings);
        Assert.NotEqual(0, listener.Port);
        Assert.All(listener.Endpoints, e => Assert.Equal(listener.Port, e.Port));

        var e = Assert.Throws<KubeExposeException>(() => LocalListener.Bind(ListenAddresses.Parse(["127.0.0.1"]), listener.Port, []));
        Assert.Equal("CannotListen", e.ErrorId);
        Assert.Contains($"127.0.0.1:{listener.Port}", e.Message, StringComparison.Ordinal);
    }
}
