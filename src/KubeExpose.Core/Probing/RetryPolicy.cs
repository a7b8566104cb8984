namespace KubeExpose.Core.Probing;

/// <summary>
/// Retries a probe on every failure a retry can cure — refused, reset, timeout, DNS failure, unexpected status or
/// content — unlike Invoke-WebRequest, which retries only on some HTTP statuses. A rejected certificate is not retried:
/// it will be the same certificate next time.
/// </summary>
/// <param name="RetryCount">Retries after the first attempt.</param>
/// <param name="Interval">The pause between attempts.</param>
public sealed record RetryPolicy(int RetryCount, TimeSpan Interval)
{
    public bool ShouldRetry(int attemptsMade, ProbeFailureKind failure) =>
        failure is not (ProbeFailureKind.None or ProbeFailureKind.CertificateRejected) && attemptsMade <= RetryCount;

    /// <summary>Runs attempts until one succeeds or the policy gives up; returns the deciding attempt and how many were made.</summary>
    public async Task<(ProbeAttempt Attempt, int Attempts)> RunAsync(Func<CancellationToken, Task<ProbeAttempt>> attempt, CancellationToken cancellation)
    {
        var made = 0;
        while (true)
        {
            var result = await attempt(cancellation).ConfigureAwait(false);
            made++;
            if (!ShouldRetry(made, result.Failure))
            {
                return (result, made);
            }

            if (Interval > TimeSpan.Zero)
            {
                await Task.Delay(Interval, cancellation).ConfigureAwait(false);
            }
        }
    }
}
