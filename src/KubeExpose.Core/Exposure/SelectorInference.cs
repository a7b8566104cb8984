using k8s.Models;

namespace KubeExpose.Core.Exposure;

/// <summary>
/// The Service selector for a workload. Services only take equality selectors, so set-based requirements are turned
/// into the pod-template labels that satisfy them — kubectl refuses matchExpressions outright (kubernetes#51373).
/// </summary>
internal static class SelectorInference
{
    /// <returns>The selector, and warnings when it is wider than the workload's own selector.</returns>
    public static (IDictionary<string, string> Selector, IReadOnlyList<string> Warnings) Infer(Workload workload)
    {
        var warnings = new List<string>();
        switch (workload.Kind)
        {
            case WorkloadKind.Pod:
                if (workload.PodLabels.Count == 0)
                {
                    throw new KubeExposeException(KubeExposeErrorKind.InvalidArgument, "PodHasNoLabels",
                        $"pod/{workload.Name} in namespace {workload.Namespace} has no labels, so no Service can select it. " +
                        $"Add one: kubectl label pod {workload.Name} -n {workload.Namespace} app={workload.Name}",
                        workload.Describe());
                }

                // Labels the controllers stamp per pod would pin the Service to this one pod generation (kubernetes#17902).
                var stable = workload.PodLabels.Where(l => l.Key != "pod-template-hash" && l.Key != "controller-revision-hash"
                    && l.Key != "statefulset.kubernetes.io/pod-name").ToDictionary(l => l.Key, l => l.Value);
                return (stable.Count > 0 ? stable : new Dictionary<string, string>(workload.PodLabels), warnings);

            case WorkloadKind.Service:
                if (workload.MapSelector is not { Count: > 0 })
                {
                    throw new KubeExposeException(KubeExposeErrorKind.InvalidArgument, "ServiceHasNoSelector",
                        $"service/{workload.Name} in namespace {workload.Namespace} has no selector, so a new Service cannot find its pods. " +
                        "Expose the workload behind it instead (for example deploy/NAME).", workload.Describe());
                }

                return (new Dictionary<string, string>(workload.MapSelector), warnings);

            case WorkloadKind.ReplicationController:
                var rcSelector = workload.MapSelector is { Count: > 0 } ? workload.MapSelector : workload.PodLabels;
                if (rcSelector.Count == 0)
                {
                    throw NoSelector(workload);
                }

                return (new Dictionary<string, string>(rcSelector), warnings);
        }

        var selector = workload.Selector;
        if (selector is null || (selector.MatchLabels is not { Count: > 0 } && selector.MatchExpressions is not { Count: > 0 }))
        {
            throw NoSelector(workload);
        }

        var result = new Dictionary<string, string>(selector.MatchLabels ?? new Dictionary<string, string>());
        foreach (var requirement in selector.MatchExpressions ?? [])
        {
            Satisfy(workload, requirement, result, warnings);
        }

        if (result.Count == 0)
        {
            throw new KubeExposeException(KubeExposeErrorKind.InvalidArgument, "SelectorNotExpressible",
                $"The selector of {workload.Describe()} only excludes labels ({Describe(selector.MatchExpressions![0])}), which a Service " +
                $"selector cannot express. Add a label to spec.template.metadata.labels and spec.selector.matchLabels " +
                $"(for example app={workload.Name}) and run again.", workload.Describe());
        }

        return (result, warnings);
    }

    private static void Satisfy(Workload workload, V1LabelSelectorRequirement requirement, Dictionary<string, string> result, List<string> warnings)
    {
        var key = requirement.Key;
        var values = requirement.Values ?? [];
        workload.PodLabels.TryGetValue(key, out var templateValue);
        switch (requirement.OperatorProperty)
        {
            case "In" when templateValue is not null && values.Contains(templateValue):
            case "Exists" when templateValue is not null:
            case "NotIn" when templateValue is not null && !values.Contains(templateValue):
                // The template's value satisfies the requirement for every pod of the workload; pinning it is
                // at most narrower than the requirement and never selects a pod the workload would not.
                if (result.TryGetValue(key, out var existing) && existing != templateValue)
                {
                    throw Unsatisfied(workload, requirement, $"matchLabels already says {key}={existing}");
                }

                result[key] = templateValue;
                return;
            case "NotIn" when templateValue is null:
            case "DoesNotExist" when templateValue is null:
                // Absence cannot be written as an equality; the rest of the selector still holds for every pod.
                warnings.Add($"The selector requirement '{Describe(requirement)}' of {workload.Describe()} cannot be written in a Service " +
                    "selector, so the Service may also select other pods that match the remaining labels. Add a distinguishing label " +
                    "to the pod template and the workload selector to make it exact.");
                return;
            default:
                throw Unsatisfied(workload, requirement, templateValue is null
                    ? $"spec.template.metadata.labels has no '{key}'"
                    : $"the template says {key}={templateValue}");
        }
    }

    private static KubeExposeException Unsatisfied(Workload workload, V1LabelSelectorRequirement requirement, string why)
    {
        var suggestion = requirement.OperatorProperty == "In" && requirement.Values is { Count: > 0 }
            ? $"{requirement.Key}={requirement.Values[0]}"
            : $"{requirement.Key}=<value>";
        return new KubeExposeException(KubeExposeErrorKind.InvalidArgument, "SelectorNotSatisfiedByTemplate",
            $"The selector requirement '{Describe(requirement)}' of {workload.Describe()} is not satisfied by a pod template label ({why}), " +
            $"so no Service selector can be derived from it. Add the label {suggestion} to spec.template.metadata.labels.",
            workload.Describe());
    }

    private static KubeExposeException NoSelector(Workload workload) =>
        new(KubeExposeErrorKind.InvalidArgument, "WorkloadHasNoSelector",
            $"{workload.Describe()} has no selector and no template labels. Add spec.selector.matchLabels (for example app={workload.Name}) " +
            "and the same label to the pod template.", workload.Describe());

    private static string Describe(V1LabelSelectorRequirement r) =>
        r.Values is { Count: > 0 } ? $"{r.Key} {r.OperatorProperty} ({string.Join(",", r.Values)})" : $"{r.Key} {r.OperatorProperty}";
}
