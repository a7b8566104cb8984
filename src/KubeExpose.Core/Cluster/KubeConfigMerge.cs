using k8s;
using k8s.KubeConfigModels;

namespace KubeExpose.Core.Cluster;

/// <summary>
/// Merges several kubeconfig files the way kubectl does for a KUBECONFIG list: the first file to set a value wins,
/// for current-context as for each named cluster, user and context.
/// </summary>
internal static class KubeConfigMerge
{
    public static K8SConfiguration Load(IReadOnlyList<string> paths)
    {
        var merged = KubernetesClientConfiguration.LoadKubeConfig(new FileInfo(paths[0]), false);
        foreach (var path in paths.Skip(1))
        {
            var next = KubernetesClientConfiguration.LoadKubeConfig(new FileInfo(path), false);
            merged.CurrentContext ??= next.CurrentContext;
            merged.Clusters = Union(merged.Clusters, next.Clusters, c => c.Name);
            merged.Users = Union(merged.Users, next.Users, u => u.Name);
            merged.Contexts = Union(merged.Contexts, next.Contexts, c => c.Name);
        }

        return merged;
    }

    private static List<T> Union<T>(IEnumerable<T>? first, IEnumerable<T>? second, Func<T, string> name) =>
        (first ?? []).Concat(second ?? []).GroupBy(name).Select(g => g.First()).ToList();
}
