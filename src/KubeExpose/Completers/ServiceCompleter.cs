using System.Collections;
using KubeExpose.Core.Cluster;

namespace KubeExpose.Completers;

/// <summary>Completes Service names in the chosen namespace.</summary>
public sealed class ServiceCompleter : NameCompleter
{
    protected override IEnumerable<string> Names(string typed, IDictionary fakeBoundParameters) =>
        CompletionSource.Services(CompletionOptions.From(fakeBoundParameters));
}
