using System.Diagnostics;
using KubeExpose.Tests;
using Xunit;

namespace KubeExpose.E2E.Tests;

/// <summary>
/// The local cluster of tests/e2e/cluster.sh, shared by every E2E test. Once per run it calls <c>cluster.sh up</c>
/// (idempotent: a running cluster is only health-checked) where the machine can host it (Linux, root), then finds
/// it through <c>cluster.sh env</c> and checks the API answers.
/// With KUBEEXPOSE_E2E=require (set by .ci/run) a missing cluster fails every test with the reason; otherwise the
/// tests are skipped with that reason, so a developer without a cluster still gets a useful unit run.
/// </summary>
public sealed class ClusterFixture
{
    public ClusterFixture()
    {
        if (!OperatingSystem.IsLinux() || System.Environment.UserName != "root")
        {
            Unavailable = "the local cluster needs Linux and root (tests/e2e/cluster.sh up)";
            return;
        }

        // A cold start builds Kubernetes from source (about 20 minutes on 2 cores); a warm one takes under a minute.
        var up = Run("bash", [ScriptPath, "up"], TimeSpan.FromMinutes(45));
        if (up.ExitCode != 0)
        {
            Unavailable = $"tests/e2e/cluster.sh up failed (exit {up.ExitCode}): {Tail(up.Error, 20)}";
            return;
        }

        var env = Run("bash", [ScriptPath, "env"], TimeSpan.FromSeconds(30));
        if (env.ExitCode != 0)
        {
            Unavailable = $"tests/e2e/cluster.sh env failed: {env.Error.Trim()}";
            return;
        }

        foreach (var line in env.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            // Lines look like: export NAME=VALUE
            var assignment = line.StartsWith("export ", StringComparison.Ordinal) ? line[7..] : line;
            var eq = assignment.IndexOf('=');
            if (eq > 0)
            {
                Environment[assignment[..eq]] = assignment[(eq + 1)..].Trim('"', '\'');
            }
        }

        if (!Environment.TryGetValue("KUBECONFIG", out var kubeconfig) || !File.Exists(kubeconfig))
        {
            Unavailable = "the local cluster is not up (run tests/e2e/cluster.sh up)";
            return;
        }

        KubeConfig = kubeconfig;
        ViewerKubeConfig = Environment.GetValueOrDefault("KUBEEXPOSE_VIEWER_KUBECONFIG") ?? "";
        var ready = Kubectl("get", "--raw", "/readyz");
        if (ready.ExitCode != 0)
        {
            Unavailable = $"the local cluster's API does not answer: {ready.Error.Trim()}";
        }
    }

    private static string Tail(string text, int lines) =>
        string.Join('\n', text.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(lines));

    public static string ScriptPath => Path.Combine(RepoPaths.Root, "tests", "e2e", "cluster.sh");

    /// <summary>Why the cluster cannot be used, or null when it can.</summary>
    public string? Unavailable { get; }

    /// <summary>The admin kubeconfig of the local cluster.</summary>
    public string KubeConfig { get; } = "";

    /// <summary>A kubeconfig of a user with read-only RBAC.</summary>
    public string ViewerKubeConfig { get; } = "";

    /// <summary>Everything <c>cluster.sh env</c> exported (KUBECONFIG, node addresses, LB pool...).</summary>
    public Dictionary<string, string> Environment { get; } = [];

    /// <summary>The node's InternalIP (kubelet, NodePorts, hostPorts); reachable from the node and from kx-outside.</summary>
    public string NodeInternalIp => Environment.GetValueOrDefault("KX_NODE_INTERNAL_IP", "10.211.0.10");

    /// <summary>The node's ExternalIP (NodePorts, hostPorts, the nginx Ingress on 80/443); reachable from kx-outside.</summary>
    public string NodeExternalIp => Environment.GetValueOrDefault("KX_NODE_EXTERNAL_IP", "10.211.1.10");

    /// <summary>Where the test LoadBalancer provisioner takes addresses from (CIDR).</summary>
    public string LoadBalancerPool => Environment.GetValueOrDefault("KX_LB_POOL", "10.214.0.0/24");

    /// <summary>The default IngressClass, served by nginx on <see cref="NodeExternalIp"/>.</summary>
    public string IngressClass => Environment.GetValueOrDefault("KX_INGRESS_CLASS", "kx-nginx");

    /// <summary>
    /// Turns the test LoadBalancer provisioner on or off (<c>cluster.sh lb on|off</c>). Off: new LoadBalancer Services
    /// stay Pending. Tests that turn it off must turn it on again in a finally block.
    /// </summary>
    public void SetLoadBalancerProvisioning(bool on) =>
        Run("bash", [ScriptPath, "lb", on ? "on" : "off"], TimeSpan.FromSeconds(60)).AssertSuccess();

    /// <summary>Skips (developer run) or fails (KUBEEXPOSE_E2E=require) the calling test when there is no cluster.</summary>
    public void Require()
    {
        if (Unavailable is null)
        {
            return;
        }

        if (System.Environment.GetEnvironmentVariable("KUBEEXPOSE_E2E") == "require")
        {
            throw new Xunit.Sdk.XunitException($"The E2E suite must run but {Unavailable}.");
        }

        Xunit.Skip.If(true, Unavailable);
    }

    /// <summary>Runs the real kubectl against the local cluster.</summary>
    public CommandResult Kubectl(params string[] args) => KubectlWith(KubeConfig, args);

    public CommandResult KubectlWith(string kubeconfig, params string[] args) =>
        Run("kubectl", ["--kubeconfig", kubeconfig, .. args], TimeSpan.FromSeconds(120));

    /// <summary>Runs a command in the kx-outside network namespace: a client outside the cluster network.</summary>
    public CommandResult Outside(params string[] command) =>
        Run("bash", [ScriptPath, "outside", "--", .. command], TimeSpan.FromSeconds(60));

    /// <summary>Applies YAML text with kubectl.</summary>
    public CommandResult ApplyYaml(string yaml)
    {
        var file = Path.GetTempFileName();
        File.WriteAllText(file, yaml);
        try
        {
            return Kubectl("apply", "-f", file).AssertSuccess();
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>Creates a namespace of its own for one test (deleted at the end of the run by the collection).</summary>
    public string NewNamespace(string prefix)
    {
        var name = $"{prefix}-{Guid.NewGuid().ToString("n")[..6]}";
        Kubectl("create", "namespace", name).AssertSuccess();
        // The default ServiceAccount is created asynchronously; pods are refused until it exists.
        WaitFor(() => Kubectl("-n", name, "get", "serviceaccount", "default").ExitCode == 0, TimeSpan.FromSeconds(60), $"serviceaccount default in {name}");
        return name;
    }

    /// <summary>Creates a Deployment of the local web image (busybox httpd on 80, page includes the hostname) and waits for its pods.</summary>
    public void DeployWeb(string ns, string name, int replicas = 1, string? extraPorts = null)
    {
        ApplyYaml($$$"""
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: {{{name}}}, namespace: {{{ns}}}}
            spec:
              replicas: {{{replicas}}}
              selector: {matchLabels: {app: {{{name}}}}}
              template:
                metadata: {labels: {app: {{{name}}}}}
                spec:
                  terminationGracePeriodSeconds: 1
                  containers:
                  - name: web
                    image: kubeexpose.local/web:1
                    imagePullPolicy: Never
                    ports:
                    - {name: http, containerPort: 80}{{{extraPorts}}}
            """);
        WaitForPods(ns, $"app={name}", replicas);
    }

    /// <summary>Waits until COUNT pods matching the selector are Ready.</summary>
    public void WaitForPods(string ns, string selector, int count, TimeSpan? timeout = null) =>
        WaitFor(() =>
        {
            var r = Kubectl("-n", ns, "get", "pods", "-l", selector, "-o",
                "jsonpath={range .items[*]}{.status.conditions[?(@.type==\"Ready\")].status}{\"\\n\"}{end}");
            return r.ExitCode == 0 && r.Output.Split('\n').Count(s => s.Trim() == "True") >= count;
        }, timeout ?? TimeSpan.FromSeconds(120), $"{count} ready pod(s) {selector} in {ns}");

    /// <summary>Polls until the condition holds, failing with what was awaited.</summary>
    public static void WaitFor(Func<bool> condition, TimeSpan timeout, string what)
    {
        var sw = Stopwatch.StartNew();
        while (!condition())
        {
            if (sw.Elapsed > timeout)
            {
                throw new Xunit.Sdk.XunitException($"Timed out after {timeout.TotalSeconds:0} s waiting for {what}.");
            }

            Thread.Sleep(500);
        }
    }

    /// <summary>A fresh runspace with the staged module imported and KUBECONFIG pointing at the local cluster.</summary>
    public ModuleHost NewModuleHost()
    {
        var host = new ModuleHost();
        host.Run($"$env:KUBECONFIG = '{KubeConfig}'").AssertSuccess();
        return host;
    }

    public static CommandResult Run(string file, IEnumerable<string> args, TimeSpan timeout, IDictionary<string, string>? env = null)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        foreach (var (k, v) in env ?? new Dictionary<string, string>())
        {
            psi.Environment[k] = v;
        }

        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout))
        {
            p.Kill(entireProcessTree: true);
            return new CommandResult(file, -1, stdout.Result, $"timed out after {timeout.TotalSeconds:0} s. {stderr.Result}");
        }

        p.WaitForExit();
        return new CommandResult($"{file} {string.Join(' ', args)}", p.ExitCode, stdout.Result, stderr.Result);
    }
}

/// <summary>What a process printed and how it ended.</summary>
public sealed record CommandResult(string Command, int ExitCode, string Output, string Error)
{
    public CommandResult AssertSuccess()
    {
        if (ExitCode != 0)
        {
            throw new Xunit.Sdk.XunitException($"`{Command}` exited {ExitCode}: {Error}{Output}");
        }

        return this;
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
