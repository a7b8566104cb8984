using System.Collections;
using KubeExpose.Core.Cluster;

namespace KubeExpose.Completers;

/// <summary>Completes namespace names from the cluster.</summary>
public sealed class NamespaceCompleter : NameCompleter
{
    protected override IEnumerable<string> Names(string typed, IDictionary fakeBoundParameters) =>
        CompletionSource.Namespaces(CompletionOptions.From(fakeBoundParameters) with { Namespace = null });
}
