using System.Diagnostics;

namespace KubeExpose.Plugin;

/// <summary>With KUBEEXPOSE_TIMING set, prints how long each phase of a call took (for bench/ and start-up work).</summary>
internal static class Timing
{
    private static readonly bool Enabled = Environment.GetEnvironmentVariable("KUBEEXPOSE_TIMING") is { Length: > 0 };

    public static void Mark(string phase)
    {
        if (Enabled)
        {
            var sinceStart = DateTime.Now - Process.GetCurrentProcess().StartTime;
            Console.Error.WriteLine($"[timing] {sinceStart.TotalMilliseconds,7:0} ms  {phase}");
        }
    }
}
