using k8s.KubeConfigModels;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace KubeExpose.Core.Cluster;

/// <summary>
/// Merges several kubeconfig files the way kubectl does for a KUBECONFIG list: the first file to set a value wins,
/// for current-context as for each named cluster, user and context.
/// </summary>
internal static class KubeConfigMerge
{
    // KubernetesClientConfiguration.LoadKubeConfig goes through KubernetesYaml, whose static constructor reflects over
    // every property of the ~1000 generated API model types (three times) to map their JSON names for YAML: about half
    // a second of every cold start, for a file that uses none of those types. The kubeconfig models carry their own
    // [YamlMember] names, so a deserializer configured like KubernetesYaml's lenient one, minus the model-type
    // overrides and the converters for model-only types (IntOrString, Quantity, byte[]), reads them identically.
    private static readonly IDeserializer Deserializer = new DeserializerBuilder()
        .WithNamingConvention(CamelCaseNamingConvention.Instance)
        .WithAttemptingUnquotedStringTypeDeserialization()
        .IgnoreUnmatchedProperties()
        .Build();

    public static K8SConfiguration Load(IReadOnlyList<string> paths)
    {
        var merged = Read(paths[0]);
        foreach (var path in paths.Skip(1))
        {
            var next = Read(path);
            merged.CurrentContext ??= next.CurrentContext;
            merged.Clusters = Union(merged.Clusters, next.Clusters, c => c.Name);
            merged.Users = Union(merged.Users, next.Users, u => u.Name);
            merged.Contexts = Union(merged.Contexts, next.Contexts, c => c.Name);
        }

        return merged;
    }

    /// <summary>One kubeconfig file; an empty file is an empty configuration, as it is for kubectl.</summary>
    internal static K8SConfiguration Read(string path)
    {
        using var reader = File.OpenText(path);
        return Deserializer.Deserialize<K8SConfiguration?>(reader) ?? new K8SConfiguration();
    }

    private static List<T> Union<T>(IEnumerable<T>? first, IEnumerable<T>? second, Func<T, string> name) =>
        (first ?? []).Concat(second ?? []).GroupBy(name).Select(g => g.First()).ToList();
}
