using System.Globalization;
using System.Text;
using KubeExpose.Core.Model;
using KubeExpose.Core.Routing;

namespace KubeExpose.Bench;

/// <summary>The pure routing model on generated snapshots: how long turning a cluster into routes takes.</summary>
internal static class RoutingModelBench
{
    /// <summary>Issue 4's goal for the 5,000-Service snapshot.</summary>
    private static readonly TimeSpan Goal = TimeSpan.FromMilliseconds(200);

    public static void Run(BenchOptions options)
    {
        Console.WriteLine($"== Routing model on generated snapshots (RouteModel.Build, no I/O; goal from issue 4: 5k Services <= {Goal.TotalMilliseconds:0} ms)");
        Console.WriteLine($"   {Environment.ProcessorCount} cores, load average {LoadAverage()}, median of {options.Runs} runs after a warm-up;");
        Console.WriteLine("   CPU = this thread's CPU time (steady on a loaded machine); process CPU adds the GC's background threads");
        string? headline = null;
        foreach (var (services, ingresses, nodes) in new[] { (5_000, 1_000, 5), (10_000, 2_000, 5), (10_000, 2_000, 50) })
        {
            var snapshot = SyntheticCluster.Generate(services, podsPerService: 3, ingresses, nodes);
            RouteSet set = null!;
            var m = Measure.Model(options.Runs, () => set = RouteModel.Build(snapshot));
            var one = Measure.Median(options.Runs, () => RouteModel.Build(snapshot, ["svc-42"]));
            var byStatus = set.Routes.GroupBy(r => r.Status).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count()}");
            var perSecond = set.Routes.Count / m.ThreadCpu.TotalSeconds;
            Console.WriteLine($"{services,6} Services, {snapshot.Pods.Count,6} pods, {ingresses,5} Ingresses, {nodes,3} nodes: " +
                $"{Measure.Ms(m.Wall)} wall, {Measure.Ms(m.ThreadCpu)} CPU ({Measure.Ms(m.ProcessCpu)} process CPU), {m.AllocatedBytes / 1e6,6:0.0} MB allocated; " +
                $"{set.Routes.Count} routes ({string.Join(", ", byStatus)}), {perSecond,9:0} routes/s of CPU; one Service {Measure.Ms(one)}");
            if (headline is null)
            {
                var verdict = m.ThreadCpu <= Goal ? "meets" : "MISSES";
                headline = $"   5k Services: median {m.Wall.TotalMilliseconds:0} ms wall, {m.ThreadCpu.TotalMilliseconds:0} ms CPU, {perSecond:0} routes/s — {verdict} the goal of {Goal.TotalMilliseconds:0} ms (CPU)";
            }

            if (options.Dump is { } dump)
            {
                Dump(set, $"{dump}.{services}-{nodes}.txt");
            }
        }

        Console.WriteLine(headline);
        Console.WriteLine();
    }

    /// <summary>
    /// Every route with every field and finding, one per line, in the model's order: diff two dumps to prove an
    /// optimisation changed nothing the model says.
    /// </summary>
    private static void Dump(RouteSet set, string path)
    {
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false));
        foreach (var r in set.Routes)
        {
            writer.Write(string.Create(CultureInfo.InvariantCulture,
                $"{r.Namespace}\t{r.Service}\t{r.ServicePort}\t{r.Protocol}\t{r.Vantage}\t{r.Kind}\t{r.Address}\t{r.Port}\t{r.Url}\t{r.Status}\t{string.Join(" ", r.Backends)}\n"));
            foreach (var f in r.Findings)
            {
                writer.Write($"\t{f.Code}\t{f.Severity}\t{f.Message}\t{f.Remedy}\n");
            }
        }

        writer.Write($"unknown: {string.Join(", ", set.UnknownServices)}\n");
    }

    /// <summary>The 1-minute load average on Linux: figures from a busy machine are not comparable with a quiet one.</summary>
    internal static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";
}
