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

    /// <summary>What one model run costs: medians of wall time, this thread's CPU time, process CPU time and bytes allocated.</summary>
    public readonly record struct ModelCost(TimeSpan Wall, TimeSpan ThreadCpu, TimeSpan ProcessCpu, long AllocatedBytes);

    /// <summary>
    /// Medians over <paramref name="runs"/> runs after one warm-up. The thread's CPU time is what the model itself
    /// costs, whatever else the machine runs; process CPU also counts the GC's background work.
    /// </summary>
    public static ModelCost Model(int runs, Action action)
    {
        action();
        var walls = new List<TimeSpan>();
        var threadCpus = new List<TimeSpan>();
        var processCpus = new List<TimeSpan>();
        var allocations = new List<long>();
        using var self = Process.GetCurrentProcess();
        for (var i = 0; i < runs; i++)
        {
            GC.Collect(); // each run starts from the same heap, so one run's garbage is not billed to the next
            GC.WaitForPendingFinalizers();
            self.Refresh();
            var process = self.TotalProcessorTime;
            var thread = ThreadCpu.Now();
            var bytes = GC.GetAllocatedBytesForCurrentThread();
            var sw = Stopwatch.StartNew();
            action();
            walls.Add(sw.Elapsed);
            threadCpus.Add(ThreadCpu.Now() - thread);
            allocations.Add(GC.GetAllocatedBytesForCurrentThread() - bytes);
            self.Refresh();
            processCpus.Add(self.TotalProcessorTime - process);
        }

        walls.Sort();
        threadCpus.Sort();
        processCpus.Sort();
        allocations.Sort();
        return new ModelCost(walls[runs / 2], threadCpus[runs / 2], processCpus[runs / 2], allocations[runs / 2]);
    }

    public static string Ms(TimeSpan t) => $"{t.TotalMilliseconds,9:0.0} ms";
}
