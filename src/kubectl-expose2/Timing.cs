using System.Diagnostics;

namespace KubeExpose.Plugin;

/// <summary>With KUBEEXPOSE_TIMING set, prints how long each phase of a call took (for bench/ and start-up work).</summary>
internal static class Timing
{
    private static TextWriter? _served;
    private static DateTime _servedSince;

    /// <summary>The engine server's calls: marks go to the caller's stderr, timed from when the call arrived.</summary>
    public static void ServeCall(TextWriter stderr)
    {
        _served = stderr;
        _servedSince = DateTime.Now;
    }

    public static void Mark(string phase)
    {
        if (Environment.GetEnvironmentVariable("KUBEEXPOSE_TIMING") is not { Length: > 0 })
        {
            return;
        }

        var since = _served is null ? Process.GetCurrentProcess().StartTime : _servedSince;
        var label = _served is null ? phase : $"(server) {phase}";
        (_served ?? Console.Error).WriteLine($"[timing] {(DateTime.Now - since).TotalMilliseconds,7:0} ms  {label}");
    }
}
