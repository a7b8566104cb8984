using System.Collections;
using KubeExpose.Core.Cluster;

namespace KubeExpose.Completers;

/// <summary>Completes <c>kind/name</c>: first the kind prefixes, then, once a prefix is typed, that kind's objects.</summary>
public sealed class WorkloadCompleter : NameCompleter
{
    protected override IEnumerable<string> Names(string typed, IDictionary fakeBoundParameters)
    {
        var slash = typed.IndexOf('/');
        if (slash < 0)
        {
            return CompletionSource.WorkloadPrefixes;
        }

        return CompletionSource.Workloads(CompletionOptions.From(fakeBoundParameters), typed[..(slash + 1)].ToLowerInvariant());
    }
}
