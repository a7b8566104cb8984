using System.Collections;
using KubeExpose.Plugin.Cli;
using Xunit;

namespace KubeExpose.Plugin.Tests;

public class ArgumentMapperTests
{
    private static InvokeRequest Map(params string[] args) => Assert.IsType<InvokeRequest>(ArgumentMapper.Map(args));

    private static UsageException Usage(params string[] args) => Assert.Throws<UsageException>(() => ArgumentMapper.Map(args));

    [Fact]
    public void Expose_maps_kubectl_flags_to_publish_workload()
    {
        var request = Map("deploy/web", "--port", "80", "--target-port=http", "--type", "nodeport", "--name", "front",
            "--protocol", "TCP", "--external-ip", "10.0.0.1", "--external-ip=10.0.0.2", "--session-affinity", "ClientIP", "-n", "shop");

        Assert.Equal(Subcommand.Expose, request.Subcommand);
        Assert.Equal("Publish-Workload", request.Call.Command);
        var p = request.Call.Parameters;
        Assert.Equal("deploy/web", p["Target"]);
        Assert.Equal(new[] { 80 }, p["Port"]);
        Assert.Equal(new[] { "http" }, p["TargetPort"]);
        Assert.Equal("NodePort", p["Type"]);
        Assert.Equal("front", p["ServiceName"]);
        Assert.Equal(new[] { "TCP" }, p["Protocol"]);
        Assert.Equal(new[] { "10.0.0.1", "10.0.0.2" }, p["ExternalIP"]);
        Assert.Equal("ClientIP", p["SessionAffinity"]);
        Assert.Equal("shop", p["Namespace"]);
        Assert.Equal(OutputFormat.Table, request.Output);
    }

    [Fact]
    public void Expose_maps_the_plugin_flags()
    {
        var p = Map("deploy/web", "--external", "--node-port", "30080,30443", "--ingress", "--ingress-host", "a.test",
            "--ingress-host", "b.test", "--ingress-path", "/api", "--ingress-class", "nginx", "--tls-secret", "web-tls",
            "--wait", "--timeout", "2m", "--verify", "--context", "kx", "--kubeconfig", "/tmp/kc").Call.Parameters;

        Assert.Equal(true, p["External"]);
        Assert.Equal(new[] { 30080, 30443 }, p["NodePort"]);
        Assert.Equal(true, p["Ingress"]);
        Assert.Equal(new[] { "a.test", "b.test" }, p["IngressHost"]);
        Assert.Equal("/api", p["IngressPath"]);
        Assert.Equal("nginx", p["IngressClass"]);
        Assert.Equal("web-tls", p["TlsSecret"]);
        Assert.Equal(true, p["Wait"]);
        Assert.Equal(120, p["TimeoutSec"]);
        Assert.Equal(true, p["Verify"]);
        Assert.Equal("kx", p["Context"]);
        Assert.Equal("/tmp/kc", p["KubeConfig"]);
        Assert.False(p.ContainsKey("DryRun"));
    }

    [Fact]
    public void Expose_accepts_type_and_name_as_two_words_like_kubectl()
    {
        Assert.Equal("deployment/web", Map("deployment", "web").Call.Parameters["Target"]);
    }

    [Theory]
    [InlineData("--dry-run=client", "Client")]
    [InlineData("--dry-run=server", "Server")]
    [InlineData("--dry-run", "Client")]
    public void Dry_run_values_map_to_the_cmdlet_spelling(string flag, string expected)
    {
        Assert.Equal(expected, Map("deploy/web", flag).Call.Parameters["DryRun"]);
    }

    [Fact]
    public void Dry_run_none_sends_nothing_and_a_bad_value_is_a_usage_error()
    {
        Assert.False(Map("deploy/web", "--dry-run=none").Call.Parameters.ContainsKey("DryRun"));
        Assert.Contains("Invalid dry-run value (maybe)", Usage("deploy/web", "--dry-run=maybe").Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("yaml", OutputFormat.Yaml, true)]
    [InlineData("json", OutputFormat.Json, true)]
    [InlineData("name", OutputFormat.Name, false)]
    [InlineData("wide", OutputFormat.Wide, false)]
    public void Expose_output_formats(string format, OutputFormat expected, bool manifests)
    {
        var request = Map("deploy/web", "-o", format);
        Assert.Equal(expected, request.Output);
        Assert.Equal(manifests, request.Call.Parameters.ContainsKey("AsYaml"));
    }

    [Fact]
    public void Cluster_ip_none_is_a_headless_service_and_labels_become_a_hashtable()
    {
        var p = Map("sts/db", "--cluster-ip", "None", "-l", "app=db,tier=data", "--annotation", "a=1").Call.Parameters;
        Assert.Equal("Headless", p["Type"]);
        var labels = Assert.IsType<Hashtable>(p["Label"]);
        Assert.Equal("db", labels["app"]);
        Assert.Equal("data", labels["tier"]);
        Assert.Equal("1", Assert.IsType<Hashtable>(p["Annotation"])["a"]);
    }

    [Theory]
    [InlineData("you must provide a resource to expose")]
    public void Expose_without_a_workload_is_a_usage_error(string expected)
    {
        Assert.Contains(expected, Usage("--port", "80").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Usage_errors_name_what_is_wrong()
    {
        Assert.Contains("is not TYPE/NAME", Usage("web").Message, StringComparison.Ordinal);
        Assert.Contains("--cluster-ip accepts only \"None\"", Usage("deploy/web", "--cluster-ip", "10.0.0.9").Message, StringComparison.Ordinal);
        Assert.Contains("cannot be combined with --type NodePort", Usage("deploy/web", "--cluster-ip", "None", "--type", "NodePort").Message, StringComparison.Ordinal);
        Assert.Equal("unknown flag: --selector for kubectl expose2", Usage("deploy/web", "--selector", "a=b").Message);
        Assert.Contains("not a whole number", Usage("deploy/web", "--port", "http").Message, StringComparison.Ordinal);
        Assert.Contains("flag needs an argument: --port", Usage("deploy/web", "--port").Message, StringComparison.Ordinal);
        Assert.Contains("allowed formats are: yaml,json,name,wide", Usage("deploy/web", "-o", "table").Message, StringComparison.Ordinal);
        Assert.Contains("one of ClusterIP", Usage("deploy/web", "--type", "Cloud").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reach_maps_services_and_flags()
    {
        var request = Map("reach", "svc/web", "api", "--vantage", "external,operator", "--status", "broken", "-o", "wide", "--fail-on", "broken");
        Assert.Equal(Subcommand.Reach, request.Subcommand);
        Assert.Equal("Get-ServiceReachability", request.Call.Command);
        Assert.Equal(new[] { "web", "api" }, request.Call.Parameters["Name"]);
        Assert.Equal(new[] { "External", "Operator" }, request.Call.Parameters["Vantage"]);
        Assert.Equal(new[] { "Broken" }, request.Call.Parameters["Status"]);
        Assert.Equal(OutputFormat.Wide, request.Output);
        Assert.Equal(FailOn.Broken, request.FailOn);
    }

    [Fact]
    public void Reach_all_namespaces_and_global_flags_before_the_subcommand()
    {
        var request = Map("-n", "shop", "--context=kx", "reach", "-A", "--no-headers", "--fail-on=degraded");
        Assert.Equal(Subcommand.Reach, request.Subcommand);
        Assert.Equal(true, request.Call.Parameters["AllNamespaces"]);
        Assert.False(request.Call.Parameters.ContainsKey("Name"));
        Assert.Equal("shop", request.Call.Parameters["Namespace"]);
        Assert.Equal("kx", request.Call.Parameters["Context"]);
        Assert.True(request.NoHeaders);
        Assert.True(request.AllNamespaces);
        Assert.Equal(FailOn.Degraded, request.FailOn);
    }

    [Fact]
    public void Reach_usage_errors()
    {
        Assert.Contains("reach needs a Service", Usage("reach").Message, StringComparison.Ordinal);
        Assert.Contains("reach looks at Services", Usage("reach", "deploy/web").Message, StringComparison.Ordinal);
        Assert.Contains("broken or degraded", Usage("reach", "svc/web", "--fail-on", "sometimes").Message, StringComparison.Ordinal);
        Assert.Equal("unknown flag: --port for kubectl expose2 reach", Usage("reach", "svc/web", "--port", "80").Message);
        Assert.Equal("unknown flag: -A for kubectl expose2", Usage("deploy/web", "-A").Message);
    }

    [Fact]
    public void Tunnel_maps_target_and_ports()
    {
        var request = Map("tunnel", "svc/web", "8080:80", ":http", "--address", "127.0.0.1,::1", "-n", "shop");
        Assert.Equal("Start-KubeProxyTunnel", request.Call.Command);
        Assert.Equal("svc/web", request.Call.Parameters["Target"]);
        Assert.Equal(new[] { "8080:80", ":http" }, request.Call.Parameters["Port"]);
        Assert.Equal(new[] { "127.0.0.1", "::1" }, request.Call.Parameters["Address"]);
        Assert.False(request.Call.Parameters.ContainsKey("Wait"));
        Assert.Contains("at least one port", Usage("tunnel", "svc/web").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Proxy_maps_to_the_api_proxy()
    {
        var p = Map("proxy", "-p", "0", "--accept-hosts", "^x$", "--service", "svc/web:80").Call.Parameters;
        Assert.Equal(true, p["ApiProxy"]);
        Assert.Equal(new[] { "0" }, p["Port"]);
        Assert.Equal("^x$", p["AcceptHosts"]);
        Assert.Equal("svc/web:80", p["Service"]);
        Assert.Contains("proxy takes no arguments", Usage("proxy", "svc/web").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Test_maps_targets_headers_and_durations()
    {
        var p = Map("test", "http://127.0.0.1:8080/", "db:5432", "-H", "X-A: 1", "--header=Accept: text/plain",
            "--expect-status", "200,204", "--retries", "5", "--retry-interval", "500ms", "--timeout", "3s", "-k", "--through", "apiserver", "-q").Call.Parameters;
        Assert.Equal(new[] { "http://127.0.0.1:8080/", "db:5432" }, p["InputObject"]);
        var headers = Assert.IsType<Hashtable>(p["Header"]);
        Assert.Equal("1", headers["X-A"]);
        Assert.Equal("text/plain", headers["Accept"]);
        Assert.Equal(new[] { 200, 204 }, p["ExpectStatusCode"]);
        Assert.Equal(5, p["RetryCount"]);
        Assert.Equal(0.5, p["RetryIntervalSec"]);
        Assert.Equal(3.0, p["TimeoutSec"]);
        Assert.Equal(true, p["SkipCertificateCheck"]);
        Assert.Equal("ApiServer", p["Through"]);
        Assert.Equal(true, p["Quiet"]);
    }

    [Fact]
    public void Help_version_and_completion_requests()
    {
        Assert.Contains("kubectl expose2 TYPE/NAME", Assert.IsType<HelpRequest>(ArgumentMapper.Map(["-h"])).Text, StringComparison.Ordinal);
        Assert.Contains("kubectl expose2 reach", Assert.IsType<HelpRequest>(ArgumentMapper.Map(["reach", "--help"])).Text, StringComparison.Ordinal);
        Assert.Contains("kubectl expose2 tunnel", Assert.IsType<HelpRequest>(ArgumentMapper.Map(["help", "tunnel"])).Text, StringComparison.Ordinal);
        Assert.IsType<VersionRequest>(ArgumentMapper.Map(["--version"]));
        Assert.Equal(["reach", ""], Assert.IsType<CompleteRequest>(ArgumentMapper.Map(["__complete", "reach", ""])).Words);
    }

    [Fact]
    public void Binding_errors_can_name_the_flag_the_user_typed()
    {
        var request = Map("deploy/web", "--node-port", "5");
        Assert.Equal("--node-port", request.FlagNames["NodePort"]);
    }

    [Fact]
    public void Call_prints_like_a_command_line()
    {
        Assert.Equal("Get-ServiceReachability -Name web", Map("reach", "web").Call.ToString());
    }
}
