using KubeExpose.Core.Model;

namespace KubeExpose.Core.Routing;

/// <summary>Folds diagnoses into one status: the worst effect wins (Ready &lt; Degraded &lt; Unknown &lt; Pending &lt; Broken).</summary>
internal static class Verdict
{
    public static RouteStatus Worst(RouteStatus a, RouteStatus b) => Rank(a) >= Rank(b) ? a : b;

    public static RouteStatus Of(IReadOnlyList<Diagnosis> diagnoses)
    {
        // A plain loop: this runs for most routes, and Aggregate's delegate and enumerator are measurable there.
        var status = RouteStatus.Ready;
        for (var i = 0; i < diagnoses.Count; i++)
        {
            status = Worst(status, diagnoses[i].Effect);
        }

        return status;
    }

    /// <summary>Findings in the order a reader needs them: errors first, then warnings, then notes.</summary>
    public static IReadOnlyList<Finding> Findings(IReadOnlyList<Diagnosis> diagnoses) => diagnoses.Count switch
    {
        // Most routes carry no finding or one: skip the sort (this runs once per route, hundreds of thousands of times).
        0 => [],
        1 => [diagnoses[0].Finding],
        _ => diagnoses.Select(d => d.Finding).Distinct().OrderByDescending(f => f.Severity).ToArray(),
    };

    private static int Rank(RouteStatus status) => status switch
    {
        RouteStatus.Ready => 0,
        RouteStatus.Degraded => 1,
        RouteStatus.Unknown => 2,
        RouteStatus.Pending => 3,
        _ => 4,
    };
}
