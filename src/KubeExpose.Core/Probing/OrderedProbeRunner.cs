namespace KubeExpose.Core.Probing;

/// <summary>
/// Probes targets concurrently, at most ThrottleLimit at once, and hands results back in the order the targets were
/// added: a pipeline reads like its input even when a slow target sits between fast ones.
/// </summary>
public sealed class OrderedProbeRunner : IDisposable
{
    private readonly EndpointTester _tester;
    private readonly SemaphoreSlim _slots;
    private readonly CancellationToken _cancellation;
    private readonly Queue<Task<EndpointTestResult>> _pending = new();
    private readonly Dictionary<string, Task<EndpointTestResult>> _byApiPath = new(StringComparer.Ordinal);

    public OrderedProbeRunner(EndpointTester tester, CancellationToken cancellation)
    {
        _tester = tester;
        _slots = new SemaphoreSlim(Math.Max(1, tester.Options.ThrottleLimit));
        _cancellation = cancellation;
    }

    /// <summary>How many results have not been taken yet.</summary>
    public int Pending => _pending.Count;

    /// <summary>
    /// Starts probing a target (or queues it until a slot frees up). Routes of one Service port that go through the API
    /// server share one proxy path; it is probed once and each route gets that outcome under its own name.
    /// </summary>
    public void Add(ProbeTarget target)
    {
        if (target.SkipReason is not null)
        {
            _pending.Enqueue(Task.FromResult(EndpointTestResult.ForSkipped(target)));
            return;
        }

        if (target.ApiServerPath is { } path)
        {
            if (_byApiPath.TryGetValue(path, out var first))
            {
                _pending.Enqueue(first.ContinueWith(
                    done => done.GetAwaiter().GetResult() with { Target = target.Display, Route = target.Route },
                    _cancellation, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default));
                return;
            }

            var probe = Task.Run(() => RunAsync(target), _cancellation);
            _byApiPath[path] = probe;
            _pending.Enqueue(probe);
            return;
        }

        _pending.Enqueue(Task.Run(() => RunAsync(target), _cancellation));
    }

    /// <summary>The results at the head of the queue that are already finished, in input order.</summary>
    public IEnumerable<EndpointTestResult> TakeCompleted()
    {
        while (_pending.Count > 0 && _pending.Peek().IsCompleted)
        {
            yield return _pending.Dequeue().GetAwaiter().GetResult();
        }
    }

    /// <summary>The next result in input order, once it is finished; null when none is pending.</summary>
    public Task<EndpointTestResult>? PeekNext() => _pending.Count > 0 ? _pending.Peek() : null;

    /// <summary>Removes the head of the queue (after <see cref="PeekNext"/> completed).</summary>
    public EndpointTestResult TakeNext() => _pending.Dequeue().GetAwaiter().GetResult();

    /// <summary>Probes every target and yields the results in input order as they become available.</summary>
    public static async IAsyncEnumerable<EndpointTestResult> RunAllAsync(
        IEnumerable<ProbeTarget> targets, EndpointTester tester, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellation = default)
    {
        using var runner = new OrderedProbeRunner(tester, cancellation);
        foreach (var target in targets)
        {
            runner.Add(target);
        }

        while (runner.PeekNext() is { } next)
        {
            await next.ConfigureAwait(false);
            yield return runner.TakeNext();
        }
    }

    private async Task<EndpointTestResult> RunAsync(ProbeTarget target)
    {
        await _slots.WaitAsync(_cancellation).ConfigureAwait(false);
        try
        {
            return await _tester.TestAsync(target, _cancellation).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A probe must never take the pipeline down; whatever escaped the probers is this target's failure.
            return new EndpointTestResult
            {
                Target = target.Display,
                Protocol = EndpointTestResult.ProtocolName(target),
                FailureKind = ProbeFailureKind.Other,
                Error = e.Message,
                Route = target.Route,
            };
        }
        finally
        {
            _slots.Release();
        }
    }

    public void Dispose() => _slots.Dispose();
}
