using KubeExpose.Core.Model;
using KubeExpose.Core.Routing;

namespace KubeExpose.Bench;

/// <summary>The pure routing model on generated snapshots: how long turning a cluster into routes takes.</summary>
internal static class RoutingModelBench
{
    public static void Run(BenchOptions options)
    {
        Console.WriteLine("== Routing model on generated snapshots (RouteModel.Build, no I/O; goal from issue 4: 5k Services <= 200 ms)");
        Console.WriteLine($"   {Environment.ProcessorCount} cores, load average {LoadAverage()}, median of {options.Runs} runs after a warm-up");
        foreach (var (services, ingresses, nodes) in new[] { (5_000, 1_000, 5), (10_000, 2_000, 5), (10_000, 2_000, 50) })
        {
            var snapshot = SyntheticCluster.Generate(services, podsPerService: 3, ingresses, nodes);
            RouteSet set = null!;
            var (all, cpu) = Measure.MedianWithCpu(options.Runs, () => set = RouteModel.Build(snapshot));
            var one = Measure.Median(options.Runs, () => RouteModel.Build(snapshot, ["svc-42"]));
            var byStatus = set.Routes.GroupBy(r => r.Status).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count()}");
            Console.WriteLine($"{services,6} Services, {snapshot.Pods.Count,6} pods, {ingresses,5} Ingresses, {nodes,3} nodes: " +
                $"all {Measure.Ms(all)} wall, {Measure.Ms(cpu)} CPU ({set.Routes.Count} routes: {string.Join(", ", byStatus)}); one Service {Measure.Ms(one)}");
        }

        Console.WriteLine();
    }

    /// <summary>The 1-minute load average on Linux: figures from a busy machine are not comparable with a quiet one.</summary>
    internal static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";
}
