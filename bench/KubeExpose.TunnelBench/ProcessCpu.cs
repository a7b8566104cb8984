using System.Globalization;

/// <summary>
/// CPU seconds used so far by the processes on a port-forward's path (from /proc, Linux only): the API server,
/// kubelet and containerd relay every byte, kubectl or this process forward it. The difference of two snapshots says
/// which of them a transfer kept busy.
/// </summary>
internal static class ProcessCpu
{
    public static readonly string[] Names = ["kube-apiserver", "kubelet", "containerd", "kubectl", "bench (dotnet)"];

    public static Dictionary<string, double> Snapshot()
    {
        var totals = Names.ToDictionary(n => n, _ => 0.0);
        if (!Directory.Exists("/proc"))
        {
            return totals;
        }

        var self = Environment.ProcessId;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var close = stat.LastIndexOf(')');
                var comm = stat[(stat.IndexOf('(') + 1)..close];
                var fields = stat[(close + 2)..].Split(' ');
                var seconds = (double.Parse(fields[11], CultureInfo.InvariantCulture) + double.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
                var name = pid == self ? "bench (dotnet)" : comm;
                if (totals.ContainsKey(name))
                {
                    totals[name] += seconds;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
            {
                // The process ended while we looked.
            }
        }

        return totals;
    }

    public static Dictionary<string, double> Add(Dictionary<string, double> sum, Dictionary<string, double> before, Dictionary<string, double> after)
    {
        foreach (var name in Names)
        {
            sum[name] = sum.GetValueOrDefault(name) + after[name] - before[name];
        }

        return sum;
    }

    public static string Format(Dictionary<string, double> sum, int runs) =>
        string.Join(", ", Names.Select(n => $"{n} {sum.GetValueOrDefault(n) / runs:F2}"));
}
