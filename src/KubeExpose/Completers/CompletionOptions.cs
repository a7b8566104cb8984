using System.Collections;
using KubeExpose.Core.Cluster;

namespace KubeExpose.Completers;

/// <summary>Reads -KubeConfig/-Context/-Namespace already typed on the command line, so completion asks the same cluster.</summary>
internal static class CompletionOptions
{
    public static KubeConnectionOptions From(IDictionary fakeBoundParameters) => new(
        fakeBoundParameters["KubeConfig"] as string,
        fakeBoundParameters["Context"] as string,
        fakeBoundParameters["Namespace"] as string);
}
