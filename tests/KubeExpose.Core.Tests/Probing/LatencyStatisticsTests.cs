using KubeExpose.Core.Probing;
using Xunit;

namespace KubeExpose.Core.Tests.Probing;

public sealed class LatencyStatisticsTests
{
    [Fact]
    public void Percentiles_use_the_nearest_rank()
    {
        var samples = Enumerable.Range(1, 20).Select(i => (double)i).Reverse().ToArray();
        var stats = LatencyStatistics.From(samples);

        Assert.Equal(20, stats.Count);
        Assert.Equal(1, stats.Min);
        Assert.Equal(10, stats.P50);
        Assert.Equal(19, stats.P95);
        Assert.Equal(20, stats.Max);
        Assert.Equal(10.5, stats.Mean);
    }

    [Fact]
    public void One_sample_is_every_statistic()
    {
        var stats = LatencyStatistics.From([4.5]);
        Assert.Equal((4.5, 4.5, 4.5, 4.5), (stats.Min, stats.P50, stats.P95, stats.Max));
    }

    [Fact]
    public void No_samples_is_an_error() => Assert.Throws<ArgumentException>(() => LatencyStatistics.From([]));
}
