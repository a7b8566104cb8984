using System.Diagnostics;

namespace KubeExpose.Core;

/// <summary>
/// With KUBEEXPOSE_TIMING set (as for the plugin's own phase timings), prints how long the steps of a cold call take
/// since process start, so start-up work can see where a first call spends its time.
/// </summary>
public static class ColdPathTiming
{
    private static readonly bool Enabled = Environment.GetEnvironmentVariable("KUBEEXPOSE_TIMING") is { Length: > 0 };

    /// <summary>Prints the time since the process started and <paramref name="step"/>, when timing is on.</summary>
    public static void Mark(string step)
    {
        if (Enabled)
        {
            var sinceStart = DateTime.Now - Process.GetCurrentProcess().StartTime;
            Console.Error.WriteLine($"[timing] {sinceStart.TotalMilliseconds,7:0} ms    {step}");
        }
    }
}
