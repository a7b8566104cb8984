using KubeExpose.Plugin.Server;
using KubeExpose.Plugin.Launcher;

// kubectl-expose2: a served call ends here; anything else becomes the engine host's call.
var started = System.Diagnostics.Stopwatch.GetTimestamp();
var outcome = EngineClient.TryRun(args, out var code);
if (outcome == ServedOutcome.Served)
{
    if (Environment.GetEnvironmentVariable("KUBEEXPOSE_TIMING") is { Length: > 0 })
    {
        Console.Error.WriteLine($"[timing] {System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds,7:0} ms  served by the engine server");
    }

    return code;
}

return EngineHost.Exec(args, startServer: outcome == ServedOutcome.NoServer);
