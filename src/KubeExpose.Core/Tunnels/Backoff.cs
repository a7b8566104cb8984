namespace KubeExpose.Core.Tunnels;

/// <summary>
/// Bounded exponential backoff: the delay doubles from <see cref="Initial"/> up to <see cref="Max"/> and stays there.
/// Deterministic on purpose, so tests can check it and users can predict it.
/// </summary>
public sealed record Backoff(TimeSpan Initial, TimeSpan Max)
{
    /// <summary>What tunnels use between attempts to open a stream: 100 ms, 200 ms, ... capped at 2 s.</summary>
    public static Backoff Default { get; } = new(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(2));

    /// <summary>The delay before retry number <paramref name="attempt"/> (0 = the first retry).</summary>
    public TimeSpan Delay(int attempt)
    {
        if (attempt <= 0)
        {
            return Initial;
        }

        // Stop doubling once past the cap so large attempt numbers cannot overflow.
        var ticks = Initial.Ticks;
        for (var i = 0; i < attempt && ticks < Max.Ticks; i++)
        {
            ticks *= 2;
        }

        return TimeSpan.FromTicks(Math.Min(ticks, Max.Ticks));
    }
}
