namespace KubeExpose.Bench;

/// <summary>Command-line options of the benchmarks.</summary>
/// <param name="Services">How many Services to create on the cluster for the cluster comparison.</param>
/// <param name="Runs">Timed repetitions of each measurement (the median is printed).</param>
/// <param name="ModelOnly">Skip the cluster comparison.</param>
/// <param name="Keep">Keep the benchmark namespace on the cluster afterwards.</param>
/// <param name="Dump">Write every route of each generated snapshot to DUMP.N-NODES.txt, to diff before and after an optimisation.</param>
internal sealed record BenchOptions(int Services, int Runs, bool ModelOnly, bool Keep, string? Dump = null)
{
    public static BenchOptions Parse(string[] args)
    {
        var o = new BenchOptions(200, 7, false, false);
        for (var i = 0; i < args.Length; i++)
        {
            o = args[i] switch
            {
                "--services" => o with { Services = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture) },
                "--runs" => o with { Runs = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture) },
                "--model-only" => o with { ModelOnly = true },
                "--keep" => o with { Keep = true },
                "--dump" => o with { Dump = args[++i] },
                _ => throw new ArgumentException($"unknown option {args[i]}"),
            };
        }

        return o;
    }
}
