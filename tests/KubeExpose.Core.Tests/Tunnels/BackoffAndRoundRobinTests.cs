using KubeExpose.Core.Tunnels;
using Xunit;

namespace KubeExpose.Core.Tests.Tunnels;

public sealed class BackoffAndRoundRobinTests
{
    [Fact]
    public void Backoff_doubles_up_to_the_cap_and_stays_there()
    {
        var backoff = new Backoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(2));
        var delays = Enumerable.Range(0, 8).Select(backoff.Delay).Select(d => (int)d.TotalMilliseconds).ToArray();
        Assert.Equal([100, 200, 400, 800, 1600, 2000, 2000, 2000], delays);
        Assert.Equal(TimeSpan.FromSeconds(2), backoff.Delay(int.MaxValue));
        Assert.Equal(TimeSpan.FromMilliseconds(100), backoff.Delay(-3));
    }

    [Fact]
    public void Round_robin_spreads_evenly()
    {
        var rr = new RoundRobin<string>();
        rr.Replace(["a", "b", "c"]);
        var picks = Enumerable.Range(0, 300).Select(_ => rr.Next()!).GroupBy(p => p).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(new Dictionary<string, int> { ["a"] = 100, ["b"] = 100, ["c"] = 100 }, picks);
    }

    [Fact]
    public void Round_robin_follows_a_replaced_set_and_skips_failed_members()
    {
        var rr = new RoundRobin<string>();
        Assert.Null(rr.Next());
        rr.Replace(["old"]);
        Assert.Equal("old", rr.Next());
        rr.Replace(["new-1", "new-2"]);
        var picks = Enumerable.Range(0, 4).Select(_ => rr.Next()!).ToList();
        Assert.DoesNotContain("old", picks);
        Assert.Equal(2, picks.Distinct().Count());
        Assert.Equal("new-2", rr.Next(p => p == "new-1"));
        Assert.Equal("new-2", rr.Next(p => p == "new-1"));
        Assert.Null(rr.Next(_ => true));
    }

    [Fact]
    public void Round_robin_is_even_under_concurrency()
    {
        var rr = new RoundRobin<string>();
        rr.Replace(["a", "b"]);
        var picks = new System.Collections.Concurrent.ConcurrentBag<string>();
        Parallel.For(0, 10_000, _ => picks.Add(rr.Next()!));
        Assert.Equal(5_000, picks.Count(p => p == "a"));
        Assert.Equal(5_000, picks.Count(p => p == "b"));
    }
}
