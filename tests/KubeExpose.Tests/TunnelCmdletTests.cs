using System.Management.Automation;
using System.Net;
using System.Net.Sockets;
using Xunit;

namespace KubeExpose.Tests;

/// <summary>
/// Start/Get/Stop-KubeProxyTunnel in a real runspace. The API proxy needs no cluster to start (it only reads the
/// kubeconfig), so these run anywhere; forwarding to real pods is covered by the E2E suite.
/// </summary>
public sealed class TunnelCmdletTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("kx-tunnel-").FullName;
    private readonly string _kubeconfig;

    public TunnelCmdletTests()
    {
        _kubeconfig = Path.Combine(_dir, "config");
        // Points at a port nobody listens on: starting a proxy must not need the API server.
        File.WriteAllText(_kubeconfig, """
            apiVersion: v1
            kind: Config
            current-context: fake
            clusters:
            - name: fake
              cluster:
                server: http://127.0.0.1:9
            users:
            - name: fake
              user:
                token: secret
            contexts:
            - name: fake
              context: {cluster: fake, user: fake, namespace: tunnels}
            """);
    }

    private ModuleHost NewHost()
    {
        var host = new ModuleHost();
        host.Run($"$env:KUBECONFIG = '{_kubeconfig}'").AssertSuccess();
        return host;
    }

    private static bool Listening(int port)
    {
        using var client = new TcpClient();
        try
        {
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    // A cmdlet's terminating error ends its statement; the script goes on, so it shows up in the error stream.
    private static ErrorRecord ErrorOf(ScriptResult result) =>
        result.Exception is IContainsErrorRecord e ? e.ErrorRecord : Assert.Single(result.Errors);

    private static int PortOf(PSObject tunnel) => new Uri((string)tunnel.Properties["Url"].Value).Port;

    [Fact]
    public void Api_proxy_starts_ready_with_a_typed_object_and_stops()
    {
        using var host = NewHost();
        var tunnel = host.Run("Start-KubeProxyTunnel -ApiProxy -Port 0").AssertSuccess().Output.Single();
        Assert.Equal("KubeExpose.Tunnel", tunnel.TypeNames[0]);
        Assert.Equal("Ready", tunnel.Properties["State"].Value.ToString());
        Assert.Equal("ApiProxy", tunnel.Properties["Kind"].Value.ToString());
        Assert.Equal("tunnels", tunnel.Properties["Namespace"].Value);
        var port = PortOf(tunnel);
        Assert.True(Listening(port));
        Assert.Equal($"http://127.0.0.1:{port}/", tunnel.Properties["Url"].Value);

        var listed = host.Run("Get-KubeProxyTunnel").AssertSuccess().Output.Single();
        Assert.Equal(tunnel.Properties["Id"].Value, listed.Properties["Id"].Value);
        Assert.Equal($"127.0.0.1:{port}", Assert.Single((IEnumerable<string>)listed.Properties["LocalEndpoints"].Value));

        var stopped = host.Run("Get-KubeProxyTunnel | Stop-KubeProxyTunnel -PassThru").AssertSuccess().Output.Single();
        Assert.Equal("Stopped", stopped.Properties["State"].Value.ToString());
        Assert.False(Listening(port));
        Assert.Empty(host.Run("Get-KubeProxyTunnel").AssertSuccess().Output);
    }

    [Fact]
    public void Stop_by_id_by_object_and_all()
    {
        using var host = NewHost();
        var ids = host.Run("1..4 | ForEach-Object { (Start-KubeProxyTunnel -ApiProxy -Port 0).Id }").AssertSuccess()
            .Output.Select(o => (int)o.BaseObject).ToArray();
        Assert.Equal(4, ids.Distinct().Count());

        host.Run($"Stop-KubeProxyTunnel -Id {ids[0]}").AssertSuccess();
        host.Run($"Get-KubeProxyTunnel -Id {ids[1]} | Stop-KubeProxyTunnel").AssertSuccess();
        var left = host.Run("Get-KubeProxyTunnel | ForEach-Object Id").AssertSuccess().Output.Select(o => (int)o.BaseObject).ToArray();
        Assert.Equal(ids[2..], left);

        host.Run("Stop-KubeProxyTunnel -All -WhatIf").AssertSuccess();
        Assert.Equal(2, host.Run("Get-KubeProxyTunnel").AssertSuccess().Output.Count);
        host.Run("Stop-KubeProxyTunnel -All").AssertSuccess();
        Assert.Empty(host.Run("Get-KubeProxyTunnel").AssertSuccess().Output);
    }

    [Fact]
    public void Unknown_ids_are_errors_that_name_the_id()
    {
        using var host = NewHost();
        var get = host.Run("Get-KubeProxyTunnel -Id 987654");
        Assert.Equal("TunnelNotFound,KubeExpose.Commands.GetKubeProxyTunnelCommand", Assert.Single(get.Errors).FullyQualifiedErrorId);
        var stop = host.Run("Stop-KubeProxyTunnel -Id 987654");
        Assert.Equal("TunnelNotFound,KubeExpose.Commands.StopKubeProxyTunnelCommand", Assert.Single(stop.Errors).FullyQualifiedErrorId);
        Assert.Contains("987654", stop.Errors[0].ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Remote_addresses_need_AllowRemoteAccess_which_warns()
    {
        using var host = NewHost();
        var record = ErrorOf(host.Run("Start-KubeProxyTunnel -ApiProxy -Port 0 -Address 0.0.0.0"));
        Assert.Equal("RemoteAccessNotAllowed,KubeExpose.Commands.StartKubeProxyTunnelCommand", record.FullyQualifiedErrorId);
        Assert.Contains("-AllowRemoteAccess", record.ToString(), StringComparison.Ordinal);

        var allowed = host.Run("Start-KubeProxyTunnel -ApiProxy -Port 0 -Address 0.0.0.0 -AllowRemoteAccess").AssertSuccess();
        Assert.Contains(allowed.Warnings, w => w.Contains("credentials", StringComparison.Ordinal));
        host.Run("Stop-KubeProxyTunnel -All").AssertSuccess();
    }

    [Fact]
    public void Open_filters_warn_like_kubectl()
    {
        using var host = NewHost();
        var result = host.Run("Start-KubeProxyTunnel -ApiProxy -Port 0 -RejectPaths '' -RejectMethods ''").AssertSuccess();
        Assert.Equal(2, result.Warnings.Count);
        host.Run("Stop-KubeProxyTunnel -All").AssertSuccess();
    }

    [Theory]
    [InlineData("Start-KubeProxyTunnel svc/web 8080:HTTP", "InvalidPortSpec")]
    [InlineData("Start-KubeProxyTunnel job/x 80", "UnsupportedTargetType")]
    [InlineData("Start-KubeProxyTunnel svc/web 80 -Address example.com", "InvalidAddress")]
    [InlineData("Start-KubeProxyTunnel -ApiProxy -Port http", "InvalidPort")]
    [InlineData("Start-KubeProxyTunnel -ApiProxy -Port 0 -AcceptPaths '('", "InvalidFilterExpression")]
    public void Bad_arguments_are_terminating_errors_with_stable_ids(string script, string errorId)
    {
        using var host = NewHost();
        var record = ErrorOf(host.Run(script));
        Assert.StartsWith(errorId + ",", record.FullyQualifiedErrorId, StringComparison.Ordinal);
    }

    [Fact]
    public void Port_forward_to_an_unreachable_cluster_fails_with_a_connection_error()
    {
        using var host = NewHost();
        var record = ErrorOf(host.Run("Start-KubeProxyTunnel svc/web 8080:80"));
        Assert.Equal("ApiUnreachable,KubeExpose.Commands.StartKubeProxyTunnelCommand", record.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ConnectionError, record.CategoryInfo.Category);
        Assert.Empty(host.Run("Get-KubeProxyTunnel").AssertSuccess().Output);
    }

    [Fact]
    public void Closing_the_runspace_stops_its_tunnels_and_only_those()
    {
        using var keeper = NewHost();
        var kept = PortOf(keeper.Run("Start-KubeProxyTunnel -ApiProxy -Port 0").AssertSuccess().Output.Single());
        int closed;
        using (var host = NewHost())
        {
            closed = PortOf(host.Run("Start-KubeProxyTunnel -ApiProxy -Port 0").AssertSuccess().Output.Single());
            Assert.True(Listening(closed));
            // Another session's list does not show this session's tunnel.
            Assert.Single(keeper.Run("Get-KubeProxyTunnel").AssertSuccess().Output);
        }

        Assert.False(Listening(closed));
        Assert.True(Listening(kept));
        keeper.Run("Stop-KubeProxyTunnel -All").AssertSuccess();
        Assert.False(Listening(kept));
    }

    [Fact]
    public void Remove_Module_stops_the_tunnels()
    {
        using var host = NewHost();
        var port = PortOf(host.Run("Start-KubeProxyTunnel -ApiProxy -Port 0").AssertSuccess().Output.Single());
        Assert.True(Listening(port));
        host.Run("Remove-Module KubeExpose").AssertSuccess();
        Assert.False(Listening(port));

        // Imported again, the module still stops tunnels on the next removal.
        host.Run($"Import-Module '{RepoPaths.StagedManifest}'").AssertSuccess();
        var again = PortOf(host.Run("Start-KubeProxyTunnel -ApiProxy -Port 0").AssertSuccess().Output.Single());
        host.Run("Remove-Module KubeExpose").AssertSuccess();
        Assert.False(Listening(again));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
