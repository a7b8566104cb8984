using System.Text.RegularExpressions;

namespace KubeExpose.Core.Probing;

/// <summary>How to probe: request shape, expectations, retries and repetition. The defaults match Test-Endpoint's.</summary>
public sealed record ProbeOptions
{
    public string Method { get; init; } = "GET";

    /// <summary>Extra request headers.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>The Host header to send instead of the URL's host (to test an Ingress rule by address).</summary>
    public string? HostHeader { get; init; }

    /// <summary>The status codes that count as success; null means 200–399.</summary>
    public IReadOnlyCollection<int>? ExpectStatusCodes { get; init; }

    /// <summary>A pattern the HTTP body or TCP reply must match.</summary>
    public Regex? ExpectContent { get; init; }

    public bool SkipCertificateCheck { get; init; }

    /// <summary>Text written after a TCP connect.</summary>
    public string? Send { get; init; }

    /// <summary>Retries after the first failed attempt: attempts = RetryCount + 1 at most.</summary>
    public int RetryCount { get; init; }

    public TimeSpan RetryInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long one attempt may take, connect to last byte read.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Samples per target for latency statistics: the first success plus Count − 1 more probes.</summary>
    public int Count { get; init; } = 1;

    /// <summary>How many targets are probed at once.</summary>
    public int ThrottleLimit { get; init; } = 8;

    /// <summary>The most response bytes read to match <see cref="ExpectContent"/>.</summary>
    public int MaxContentBytes { get; init; } = 1 << 20;

    public bool IsExpectedStatus(int status) =>
        ExpectStatusCodes is null ? status is >= 200 and <= 399 : ExpectStatusCodes.Contains(status);

    /// <summary>The expectation as people say it: "200-399", "200, 204", or "100-400, 402, 404-499" (runs of three or more collapse).</summary>
    public string ExpectedStatusText => ExpectStatusCodes is null ? "200-399" : StatusRanges(ExpectStatusCodes);

    private static string StatusRanges(IEnumerable<int> codes)
    {
        var sorted = codes.Distinct().Order().ToList();
        var parts = new List<string>();
        for (var start = 0; start < sorted.Count;)
        {
            var end = start;
            while (end + 1 < sorted.Count && sorted[end + 1] == sorted[end] + 1)
            {
                end++;
            }

            if (end - start >= 2)
            {
                parts.Add($"{sorted[start]}-{sorted[end]}");
            }
            else
            {
                parts.AddRange(sorted[start..(end + 1)].Select(c => c.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }

            start = end + 1;
        }

        return string.Join(", ", parts);
    }
}
