using System.Globalization;
using System.Text.RegularExpressions;

namespace KubeExpose.Plugin.Cli;

/// <summary>kubectl's duration values (<c>90s</c>, <c>2m</c>, <c>1h30m</c>, <c>500ms</c>; a bare number is seconds).</summary>
public static partial class Durations
{
    public static double ToSeconds(string text, string flag)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var bare) && bare >= 0)
        {
            return bare;
        }

        var parts = Part().Matches(text);
        if (parts.Count == 0 || string.Concat(parts.Select(m => m.Value)) != text)
        {
            throw new UsageException($"invalid argument \"{text}\" for \"--{flag}\" flag: a duration such as 30s, 2m or 1h30m");
        }

        return parts.Sum(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) * m.Groups[2].Value switch
        {
            "ms" => 0.001,
            "s" => 1,
            "m" => 60,
            _ => 3600,
        });
    }

    [GeneratedRegex(@"([0-9]+(?:\.[0-9]+)?)(ms|s|m|h)")]
    private static partial Regex Part();
}
