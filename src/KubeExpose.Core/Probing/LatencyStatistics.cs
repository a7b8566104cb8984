namespace KubeExpose.Core.Probing;

/// <summary>Latency over the samples of a repeated probe (-Count), in milliseconds.</summary>
/// <param name="Count">How many samples.</param>
/// <param name="Min">The fastest sample.</param>
/// <param name="P50">The median (nearest rank).</param>
/// <param name="P95">The 95th percentile (nearest rank).</param>
/// <param name="Max">The slowest sample.</param>
/// <param name="Mean">The arithmetic mean.</param>
public sealed record LatencyStatistics(int Count, double Min, double P50, double P95, double Max, double Mean)
{
    /// <summary>Computes the statistics; percentiles use the nearest-rank method, so each is one of the samples.</summary>
    public static LatencyStatistics From(IReadOnlyCollection<double> samples)
    {
        if (samples.Count == 0)
        {
            throw new ArgumentException("At least one sample is needed.", nameof(samples));
        }

        var sorted = samples.Order().ToArray();
        return new LatencyStatistics(sorted.Length, sorted[0], NearestRank(sorted, 50), NearestRank(sorted, 95), sorted[^1], sorted.Average());
    }

    private static double NearestRank(double[] sorted, int percentile)
    {
        var rank = (int)Math.Ceiling(percentile / 100.0 * sorted.Length);
        return sorted[Math.Clamp(rank, 1, sorted.Length) - 1];
    }

    public override string ToString() => $"min {Min:0.#} / p50 {P50:0.#} / p95 {P95:0.#} / max {Max:0.#} ms (n={Count})";
}
