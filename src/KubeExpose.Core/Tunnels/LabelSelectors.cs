using k8s.Models;

namespace KubeExpose.Core.Tunnels;

/// <summary>Label selectors as the API's labelSelector query parameter spells them.</summary>
internal static class LabelSelectors
{
    public static string FromMap(IDictionary<string, string> labels) =>
        string.Join(",", labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}"));

    /// <summary>matchLabels and matchExpressions (In, NotIn, Exists, DoesNotExist) in the set-based syntax.</summary>
    public static string FromSelector(V1LabelSelector selector)
    {
        var parts = new List<string>();
        if (selector.MatchLabels is { Count: > 0 } labels)
        {
            parts.Add(FromMap(labels));
        }

        foreach (var e in selector.MatchExpressions ?? [])
        {
            var values = string.Join(",", e.Values ?? []);
            parts.Add(e.OperatorProperty switch
            {
                "In" => $"{e.Key} in ({values})",
                "NotIn" => $"{e.Key} notin ({values})",
                "Exists" => e.Key,
                "DoesNotExist" => $"!{e.Key}",
                _ => throw new KubeExposeException(KubeExposeErrorKind.InvalidArgument, "UnsupportedSelector",
                    $"The selector operator '{e.OperatorProperty}' on key '{e.Key}' is not one Kubernetes defines."),
            });
        }

        return string.Join(",", parts);
    }
}
