using System.Diagnostics;

namespace KubeExpose.Bench;

/// <summary>Median wall time of repeated runs, after one untimed warm-up.</summary>
internal static class Measure
{
    public static TimeSpan Median(int runs, Action action)
    {
        action(); // warm-up: JIT, caches, connections
        var times = new List<TimeSpan>();
        for (var i = 0; i < runs; i++)
        {
            var sw = Stopwatch.StartNew();
            action();
            times.Add(sw.Elapsed);
        }

        times.Sort();
        return times[times.Count / 2];
    }

    /// <summary>Median wall time and median process CPU time: on a shared, loaded machine the CPU time is the steadier figure.</summary>
    public static (TimeSpan Wall, TimeSpan Cpu) MedianWithCpu(int runs, Action action)
    {
        action();
        var walls = new List<TimeSpan>();
        var cpus = new List<TimeSpan>();
        using var self = Process.GetCurrentProcess();
        for (var i = 0; i < runs; i++)
        {
            self.Refresh();
            var cpu = self.TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            action();
            walls.Add(sw.Elapsed);
            self.Refresh();
            cpus.Add(self.TotalProcessorTime - cpu);
        }

        walls.Sort();
        cpus.Sort();
        return (walls[walls.Count / 2], cpus[cpus.Count / 2]);
    }

    public static string Ms(TimeSpan t) => $"{t.TotalMilliseconds,9:0.0} ms";
}
