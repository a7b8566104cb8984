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

    public static string Ms(TimeSpan t) => $"{t.TotalMilliseconds,9:0.0} ms";
}
