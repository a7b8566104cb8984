using KubeExpose.Core.Probing;
using KubeExpose.Tests.Servers;
using Xunit;

namespace KubeExpose.Core.Tests.Probing;

public sealed class OrderedProbeRunnerTests
{
    [Fact]
    public async Task Results_come_back_in_input_order_even_when_later_targets_finish_first()
    {
        // Path /0 is the slowest, /5 the fastest: finishing order is the reverse of input order.
        using var server = new LoopbackHttpServer(r => new HttpReply(200, r.Path, Delay: TimeSpan.FromMilliseconds(50 * (6 - int.Parse(r.Path[1..])))));
        var targets = Enumerable.Range(0, 6).Select(i => ProbeTargets.Parse($"{server.Url}{i}")).ToList();
        var results = new List<EndpointTestResult>();
        await foreach (var result in OrderedProbeRunner.RunAllAsync(targets, new EndpointTester(new ProbeOptions { ThrottleLimit = 6 })))
        {
            results.Add(result);
        }

        Assert.Equal(targets.Select(t => t.Display), results.Select(r => r.Target));
        Assert.All(results, r => Assert.True(r.Success, r.Error));
    }

    [Fact]
    public async Task At_most_ThrottleLimit_targets_are_probed_at_once_and_that_many_are()
    {
        // Each request waits until a second one is in flight (or every request has arrived, or 5 s pass), so a runner
        // that probed one at a time would show MaxInFlight 1; one that ignored the limit would show more than 2.
        LoopbackHttpServer? self = null;
        using var server = new LoopbackHttpServer(async _ =>
        {
            // Polls without blocking a pool thread: blocking here would starve the probes this test is waiting for.
            for (var waited = 0; self!.InFlight < 2 && self.Requests.Count < 8 && waited < 5_000; waited += 10)
            {
                await Task.Delay(10);
            }

            await Task.Delay(20);
            return new HttpReply(200);
        });
        self = server;
        var targets = Enumerable.Range(0, 8).Select(i => ProbeTargets.Parse($"{server.Url}{i}")).ToList();
        var results = new List<EndpointTestResult>();
        await foreach (var result in OrderedProbeRunner.RunAllAsync(targets, new EndpointTester(new ProbeOptions { ThrottleLimit = 2, Timeout = TimeSpan.FromSeconds(60) })))
        {
            results.Add(result);
        }

        Assert.Equal(8, results.Count(r => r.Success));
        Assert.Equal(2, server.MaxInFlight);
    }

    [Fact]
    public void Skipped_targets_are_ready_at_once_and_keep_their_place()
    {
        var skipped = ProbeTargets.Parse("10.0.0.1:80") with { SkipReason = "not from here" };
        using var runner = new OrderedProbeRunner(new EndpointTester(new ProbeOptions()), CancellationToken.None);
        runner.Add(skipped);
        var result = Assert.Single(runner.TakeCompleted());

        Assert.True(result.Skipped);
        Assert.False(result.Success);
        Assert.Equal("not from here", result.SkipReason);
        Assert.Equal(0, runner.Pending);
    }
}
