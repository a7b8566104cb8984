using System.Diagnostics;
using KubeExpose.Core.Cluster;

namespace KubeExpose.Bench;

/// <summary>
/// Get-ServiceReachability's work (one LIST per kind + the model, through the Core API the cmdlet calls) on N
/// Services of the local cluster, against the time kubectl needs only to fetch the same kinds as JSON
/// (<c>kubectl get svc,endpointslices,pods,nodes,ingress -A -o json</c>), in the same run. Prints medians and ratios.
/// </summary>
internal static class RoutingClusterBench
{
    public static async Task RunAsync(BenchOptions options)
    {
        Console.WriteLine($"== Get-ServiceReachability (Core API) vs kubectl on the local cluster, {options.Services} Services");
        var kubeconfig = Environment.GetEnvironmentVariable("KUBECONFIG") ?? ClusterKubeConfig();
        if (kubeconfig is null || Run("kubectl", ["--kubeconfig", kubeconfig, "get", "--raw", "/readyz"]).ExitCode != 0)
        {
            Console.WriteLine("   skipped: no cluster (start tests/e2e/cluster.sh up, or set KUBECONFIG)");
            return;
        }

        var ns = $"kx-bench-{Guid.NewGuid().ToString("n")[..6]}";
        string[] Kubectl(params string[] a) => ["--kubeconfig", kubeconfig, .. a];
        try
        {
            Check(Run("kubectl", Kubectl("create", "namespace", ns)));
            var yaml = Path.GetTempFileName();
            await File.WriteAllTextAsync(yaml, Workload(ns, options.Services)).ConfigureAwait(false);
            Check(Run("kubectl", Kubectl("apply", "-f", yaml)));
            File.Delete(yaml);
            Check(Run("kubectl", Kubectl("-n", ns, "rollout", "status", "deployment/web", "--timeout=180s")));

            using var session = KubeSession.Connect(new KubeConnectionOptions(kubeconfig));
            ReachabilityReport report = null!;
            var kubectlAll = Measure.Median(options.Runs, () => Check(Run("kubectl", Kubectl("get", "svc,endpointslices,pods,nodes,ingress", "-A", "-o", "json"))));
            var oursAll = Measure.Median(options.Runs, () => report = ClusterReachability.GetReportAsync(session, null, null, null, CancellationToken.None).GetAwaiter().GetResult());
            Console.WriteLine($"   all namespaces:  kubectl get (fetch only) {Measure.Ms(kubectlAll)}   KubeExpose read+model {Measure.Ms(oursAll)}   ratio {oursAll / kubectlAll:0.00}x " +
                $"({report.Routes.Count} routes, endpoints from {report.EndpointSource})");

            var kubectlNs = Measure.Median(options.Runs, () => Check(Run("kubectl", Kubectl("-n", ns, "get", "svc,endpointslices,pods,ingress", "-o", "json"))));
            var oursNs = Measure.Median(options.Runs, () => report = ClusterReachability.GetReportAsync(session, ns, null, null, CancellationToken.None).GetAwaiter().GetResult());
            Console.WriteLine($"   one namespace:   kubectl get (fetch only) {Measure.Ms(kubectlNs)}   KubeExpose read+model {Measure.Ms(oursNs)}   ratio {oursNs / kubectlNs:0.00}x ({report.Routes.Count} routes)");

            var oursOne = Measure.Median(options.Runs, () => ClusterReachability.GetReportAsync(session, ns, ["svc-7"], null, CancellationToken.None).GetAwaiter().GetResult());
            var kubectlOne = Measure.Median(options.Runs, () => Check(Run("kubectl", Kubectl("-n", ns, "get", "svc/svc-7", "-o", "json"))));
            Console.WriteLine($"   one Service:     kubectl get svc/NAME      {Measure.Ms(kubectlOne)}   KubeExpose read+model {Measure.Ms(oursOne)}   ratio {oursOne / kubectlOne:0.00}x");
            Console.WriteLine("   (kubectl only fetches; KubeExpose fetches the same kinds plus IngressClasses and judges every route. Lower ratio is better.)");
        }
        finally
        {
            if (!options.Keep)
            {
                Run("kubectl", Kubectl("delete", "namespace", ns, "--wait=false"));
            }
        }
    }

    /// <summary>One Deployment of the local web image and N Services selecting it, of mixed types.</summary>
    private static string Workload(string ns, int services)
    {
        var docs = new List<string>
        {
            $$"""
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: {{ns}}}
            spec:
              replicas: 2
              selector: {matchLabels: {app: web} }
              template:
                metadata: {labels: {app: web} }
                spec:
                  terminationGracePeriodSeconds: 1
                  containers: [{name: web, image: "kubeexpose.local/web:1", imagePullPolicy: Never, ports: [{name: http, containerPort: 80} ]} ]
            """,
        };
        for (var i = 0; i < services; i++)
        {
            var type = i % 4 == 0 ? "NodePort" : "ClusterIP";
            docs.Add($$"""
                apiVersion: v1
                kind: Service
                metadata: {name: svc-{{i}}, namespace: {{ns}}}
                spec: {type: {{type}}, selector: {app: web}, ports: [{name: http, port: 80, targetPort: http} ]}
                """);
        }

        return string.Join("\n---\n", docs);
    }

    private static string? ClusterKubeConfig()
    {
        var script = FindUp(Path.Combine("tests", "e2e", "cluster.sh"));
        if (script is null)
        {
            return null;
        }

        var env = Run("bash", [script, "env"]);
        return env.Output.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("export KUBECONFIG=", StringComparison.Ordinal))
            .Select(l => l["export KUBECONFIG=".Length..].Trim('"', '\'')).FirstOrDefault();
    }

    private static string? FindUp(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, relative);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static (int ExitCode, string Output, string Error) Check((int ExitCode, string Output, string Error) r) =>
        r.ExitCode == 0 ? r : throw new InvalidOperationException($"command failed ({r.ExitCode}): {r.Error}");

    private static (int ExitCode, string Output, string Error) Run(string file, IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        return (p.ExitCode, stdout.Result, stderr.Result);
    }
}
