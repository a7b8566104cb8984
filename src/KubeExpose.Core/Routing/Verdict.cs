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

    /// <summary>
    /// Findings in the order a reader needs them: errors first, then warnings, then notes; equal findings once
    /// (the first), and within a severity in the order given. What Distinct().OrderByDescending(Severity) gives,
    /// with plain loops over the handful a route has.
    /// </summary>
    public static IReadOnlyList<Finding> Findings(IReadOnlyList<Diagnosis> diagnoses)
    {
        switch (diagnoses.Count)
        {
            case 0:
                return [];
            case 1:
                return [diagnoses[0].Finding];
        }

        var distinct = new List<Finding>(diagnoses.Count);
        for (var i = 0; i < diagnoses.Count; i++)
        {
            // Finding equality compares codes before text, so telling different findings apart formats nothing.
            if (!distinct.Contains(diagnoses[i].Finding))
            {
                distinct.Add(diagnoses[i].Finding);
            }
        }

        var ordered = distinct.ToArray();
        for (var i = 1; i < ordered.Length; i++)
        {
            // Stable insertion sort, most severe first.
            var item = ordered[i];
            var j = i - 1;
            while (j >= 0 && ordered[j].Severity < item.Severity)
            {
                ordered[j + 1] = ordered[j];
                j--;
            }

            ordered[j + 1] = item;
        }

        return ordered;
    }

    private static int Rank(RouteStatus status) => status switch
    {
        RouteStatus.Ready => 0,
        RouteStatus.Degraded => 1,
        RouteStatus.Unknown => 2,
        RouteStatus.Pending => 3,
        _ => 4,
    };
}
