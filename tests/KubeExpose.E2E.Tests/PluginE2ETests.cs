using System.Text.Json;
using System.Text.Json.Nodes;
using KubeExpose.Tests;
using Xunit;

namespace KubeExpose.E2E.Tests;

/// <summary>
/// The kubectl plugin as users run it: the real kubectl finds out/bin/kubectl-expose2 on PATH and runs it against the
/// local cluster; its output is compared with kubectl's own where kubectl has an equivalent.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class PluginE2ETests : IDisposable
{
    private readonly ClusterFixture _cluster;
    private string? _ns;

    public PluginE2ETests(ClusterFixture cluster) => _cluster = cluster;

    private string Ns => _ns ??= _cluster.NewNamespace("plugin");

    private static string PluginFolder => Path.Combine(RepoPaths.Root, "out", "bin");

    public void Dispose()
    {
        if (_ns is not null)
        {
            _cluster.Kubectl("delete", "namespace", _ns, "--wait=false");
        }
    }

    /// <summary>Runs the real kubectl with the plugin folder first on PATH, as an installed plugin is found.</summary>
    private CommandResult KubectlWithPlugin(params string[] args) => KubectlWithPlugin(null, args);

    /// <summary>As above, with variables added to (or replacing) the plugin's environment; the engine server is off unless they turn it on.</summary>
    private CommandResult KubectlWithPlugin(Dictionary<string, string>? extraEnv, params string[] args)
    {
        Assert.True(File.Exists(Path.Combine(PluginFolder, "kubectl-expose2")), $"the plugin is not staged in {PluginFolder}: build src/kubectl-expose2");
        var env = new Dictionary<string, string>
        {
            ["PATH"] = PluginFolder + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH"),
            ["KUBECONFIG"] = _cluster.KubeConfig,
            ["KUBEEXPOSE_PLUGIN_SERVER"] = "off",
        };
        foreach (var (name, value) in extraEnv ?? [])
        {
            env[name] = value;
        }

        return ClusterFixture.Run("kubectl", args, TimeSpan.FromMinutes(3), env);
    }

    [SkippableFact]
    public void Kubectl_lists_the_plugin_without_warnings()
    {
        _cluster.Require();
        var list = KubectlWithPlugin("plugin", "list");
        Assert.Contains(Path.Combine(PluginFolder, "kubectl-expose2"), list.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(PluginFolder, list.Error, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Reach_prints_the_route_table()
    {
        _cluster.Require();
        _cluster.DeployWeb(Ns, "web");
        _cluster.Kubectl("-n", Ns, "expose", "deploy/web", "--port", "80", "--type", "NodePort").AssertSuccess();

        var reach = KubectlWithPlugin("expose2", "reach", "svc/web", "-n", Ns).AssertSuccess();

        var lines = reach.Output.TrimEnd('\n').Split('\n');
        Assert.Matches(@"^SERVICE\s+PORT\s+VANTAGE\s+KIND\s+ADDRESS\s+STATUS\s+FINDING$", lines[0]);
        var clusterIp = _cluster.Kubectl("-n", Ns, "get", "svc", "web", "-o", "jsonpath={.spec.clusterIP}").AssertSuccess().Output.Trim();
        var nodePort = _cluster.Kubectl("-n", Ns, "get", "svc", "web", "-o", "jsonpath={.spec.ports[0].nodePort}").AssertSuccess().Output.Trim();
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, $@"^web\s+80\s+Pod\s+ClusterIP\s+{clusterIp.Replace(".", "\\.", StringComparison.Ordinal)}:80\s+Ready\b"));
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, $@"^web\s+80\s+External\s+NodePort\s+10\.211\.1\.10:{nodePort}\s+Ready\b"));
        Assert.Equal("", reach.Error);

        // --no-headers drops only the header; -o json carries the routes' real fields.
        var bare = KubectlWithPlugin("expose2", "reach", "web", "-n", Ns, "--no-headers").AssertSuccess();
        Assert.Equal(lines.Length - 1, bare.Output.TrimEnd('\n').Split('\n').Length);
        var json = JsonNode.Parse(KubectlWithPlugin("expose2", "reach", "svc/web", "-n", Ns, "-o", "json").AssertSuccess().Output)!;
        Assert.Equal("List", (string?)json["kind"]);
        var items = json["items"]!.AsArray();
        Assert.Equal(lines.Length - 1, items.Count);
        Assert.All(items, i => Assert.Equal(Ns, (string?)i!["namespace"]));
        Assert.Contains(items, i => (string?)i!["kind"] == "NodePort" && (int?)i["port"] == int.Parse(nodePort) && (string?)i["status"] == "Ready");
    }

    [SkippableFact]
    public void Fail_on_broken_exits_1_for_a_service_whose_selector_matches_nothing()
    {
        _cluster.Require();
        _cluster.DeployWeb(Ns, "web");
        _cluster.Kubectl("-n", Ns, "expose", "deploy/web", "--port", "80").AssertSuccess();
        _cluster.ApplyYaml($$"""
            apiVersion: v1
            kind: Service
            metadata: {name: ghost, namespace: {{Ns}}}
            spec:
              selector: {app: nothing-has-this-label}
              ports: [{port: 80}]
            """);

        var broken = KubectlWithPlugin("expose2", "reach", "svc/ghost", "-n", Ns, "--fail-on", "broken");
        Assert.Equal(1, broken.ExitCode);
        Assert.Contains("KE2001", broken.Output, StringComparison.Ordinal);
        Assert.Contains("Broken", broken.Output, StringComparison.Ordinal);

        // The same gate passes for a Service that works, and without --fail-on a broken Service is only reported.
        Assert.Equal(0, KubectlWithPlugin("expose2", "reach", "svc/web", "-n", Ns, "--fail-on", "broken").ExitCode);
        Assert.Equal(0, KubectlWithPlugin("expose2", "reach", "svc/ghost", "-n", Ns).ExitCode);
    }

    [SkippableFact]
    public void A_service_that_does_not_exist_is_one_error_line_and_exit_1()
    {
        _cluster.Require();
        var missing = KubectlWithPlugin("expose2", "reach", "svc/no-such-service", "-n", Ns);
        Assert.Equal(1, missing.ExitCode);
        var lines = missing.Error.TrimEnd('\n').Split('\n');
        Assert.Single(lines);
        Assert.StartsWith("error: ", lines[0], StringComparison.Ordinal);
        Assert.Contains("no-such-service", lines[0], StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Completion_through_kubectl_lists_services()
    {
        _cluster.Require();
        _cluster.DeployWeb(Ns, "web");
        _cluster.Kubectl("-n", Ns, "expose", "deploy/web", "--port", "80").AssertSuccess();
        var complete = KubectlWithPlugin("__complete", "expose2", "reach", "-n", Ns, "svc/");
        Assert.Contains("svc/web\n", complete.Output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Dry_run_client_yaml_matches_kubectl_expose()
    {
        _cluster.Require();
        _cluster.DeployWeb(Ns, "web");

        var ours = KubectlWithPlugin("expose2", "deploy/web", "-n", Ns, "--dry-run=client", "-o", "yaml").AssertSuccess().Output;
        var theirs = _cluster.Kubectl("-n", Ns, "expose", "deploy/web", "--dry-run=client", "-o", "yaml").AssertSuccess().Output;

        // kubectl itself reads both manifests back (so ours is a valid one) and prints them as JSON to compare.
        var mine = ServiceOf(AsJson(ours));
        var reference = ServiceOf(AsJson(theirs));
        Assert.Equal((string?)reference["apiVersion"], (string?)mine["apiVersion"]);
        Assert.Equal("web", (string?)mine["metadata"]!["name"]);
        Assert.True(JsonNode.DeepEquals(reference["metadata"]!["labels"], mine["metadata"]!["labels"]), $"labels: {mine["metadata"]!["labels"]} vs {reference["metadata"]!["labels"]}");
        Assert.True(JsonNode.DeepEquals(reference["spec"]!["selector"], mine["spec"]!["selector"]), $"selector: {mine["spec"]!["selector"]} vs {reference["spec"]!["selector"]}");
        Assert.Equal(Ports(reference), Ports(mine));
        Assert.Equal((string?)reference["spec"]!["type"] ?? "ClusterIP", (string?)mine["spec"]!["type"] ?? "ClusterIP");

        // -o json is the same manifest as JSON.
        var json = JsonNode.Parse(KubectlWithPlugin("expose2", "deploy/web", "-n", Ns, "--dry-run=client", "-o", "json").AssertSuccess().Output)!;
        Assert.Equal(Ports(mine), Ports(ServiceOf(json)));

        // Nothing was created.
        Assert.NotEqual(0, _cluster.Kubectl("-n", Ns, "get", "svc", "web").ExitCode);
    }

    [SkippableFact]
    public void External_exposes_and_prints_what_it_chose_and_the_routes()
    {
        _cluster.Require();
        _cluster.DeployWeb(Ns, "web");

        var exposed = KubectlWithPlugin("expose2", "deploy/web", "-n", Ns, "--external").AssertSuccess();

        var service = JsonNode.Parse(_cluster.Kubectl("-n", Ns, "get", "svc", "web", "-o", "json").AssertSuccess().Output)!;
        var type = (string?)service["spec"]!["type"];
        var ingress = _cluster.Kubectl("-n", Ns, "get", "ingress", "-o", "name").Output.Trim();
        Assert.True(type is "LoadBalancer" or "NodePort" || ingress.Length > 0, $"--external made a {type} Service and no Ingress");
        Assert.Contains("web", exposed.Output, StringComparison.Ordinal);
        // The routes follow as a table of their own, including one usable from outside the cluster.
        Assert.Matches(@"(?m)^SERVICE\s+PORT\s+VANTAGE\s+KIND\s+ADDRESS\s+STATUS", exposed.Output);
        Assert.Matches(@"(?m)^web\s+\S+\s+External\s+", exposed.Output);
    }

    private JsonNode AsJson(string yaml)
    {
        var file = Path.Combine(Path.GetTempPath(), $"kx-plugin-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(file, yaml);
        try
        {
            return JsonNode.Parse(_cluster.Kubectl("create", "--dry-run=client", "-o", "json", "-f", file).AssertSuccess().Output)!;
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static JsonNode ServiceOf(JsonNode document) =>
        (string?)document["kind"] == "List"
            ? document["items"]!.AsArray().Single(i => (string?)i!["kind"] == "Service")!
            : document;

    // Port, protocol and the container port it reaches (kubectl writes the number, a named targetPort is the same port).
    private static string Ports(JsonNode service) => string.Join(";", service["spec"]!["ports"]!.AsArray().Select(p =>
        $"{(int?)p!["port"]}/{(string?)p["protocol"] ?? "TCP"}->{TargetPort(p["targetPort"])}"));

    private static string TargetPort(JsonNode? target) =>
        target is null ? "" : target.GetValueKind() == JsonValueKind.String && (string?)target == "http" ? "80" : target.ToString();

    [SkippableFact]
    public void A_call_served_by_the_warm_engine_matches_the_same_call_in_its_own_process()
    {
        _cluster.Require();
        _cluster.DeployWeb(Ns, "web");
        var directory = Directory.CreateTempSubdirectory("kx-engine-").FullName;
        var served = new Dictionary<string, string>
        {
            ["KUBEEXPOSE_PLUGIN_SERVER"] = "on",
            ["KUBEEXPOSE_PLUGIN_SERVER_DIR"] = directory,
            ["KUBEEXPOSE_TIMING"] = "1",
        };
        try
        {
            string[] dryRun = ["expose2", "deploy/web", "-n", Ns, "--port", "80", "--dry-run=client", "-o", "yaml"];
            var inProcess = KubectlWithPlugin(dryRun).AssertSuccess();
            KubectlWithPlugin(served, dryRun).AssertSuccess(); // starts the server in the background
            ClusterFixture.WaitFor(() => Directory.GetFiles(directory, "*.sock").Length == 1, TimeSpan.FromMinutes(2), "the engine server socket");

            var warm = KubectlWithPlugin(served, dryRun).AssertSuccess();
            Assert.Contains("served by the engine server", warm.Error, StringComparison.Ordinal);
            Assert.Equal(inProcess.Output, warm.Output);

            // A real change through the server, then its verdict with an exit code.
            var applied = KubectlWithPlugin(served, "expose2", "deploy/web", "-n", Ns, "--port", "80", "--name", "web-served").AssertSuccess();
            Assert.Contains("served by the engine server", applied.Error, StringComparison.Ordinal);
            _cluster.Kubectl("-n", Ns, "get", "service", "web-served").AssertSuccess();
            _cluster.Kubectl("-n", Ns, "create", "service", "clusterip", "nobody", "--tcp", "80:80").AssertSuccess();
            var broken = KubectlWithPlugin(served, "expose2", "reach", "svc/nobody", "-n", Ns, "--fail-on", "broken");
            Assert.Contains("served by the engine server", broken.Error, StringComparison.Ordinal);
            Assert.Equal(1, broken.ExitCode);
        }
        finally
        {
            Directory.Delete(directory, recursive: true); // the server exits when its socket is gone
        }
    }
}
