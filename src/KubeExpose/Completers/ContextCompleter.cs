using System.Collections;
using KubeExpose.Core.Cluster;

namespace KubeExpose.Completers;

/// <summary>Completes context names from the kubeconfig (no cluster call).</summary>
public sealed class ContextCompleter : NameCompleter
{
    protected override IEnumerable<string> Names(string typed, IDictionary fakeBoundParameters) =>
        CompletionSource.Contexts(CompletionOptions.From(fakeBoundParameters));
}
