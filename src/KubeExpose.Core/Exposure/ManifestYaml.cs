using System.Text.Json.Nodes;
using k8s;
using YamlDotNet.Serialization;

namespace KubeExpose.Core.Exposure;

/// <summary>Renders manifests as YAML the way <c>kubectl … -o yaml</c> shows them (camelCase, no nulls).</summary>
public static class ManifestYaml
{
    private static readonly ISerializer Plain = new SerializerBuilder().Build();

    /// <summary>One document per object, separated by <c>---</c> so <c>kubectl apply -f -</c> takes the output as is.</summary>
    public static string Render(IEnumerable<object> manifests) =>
        string.Join("---\n", manifests.Select(m => Serialize(m).TrimEnd('\n') + "\n"));

    private static string Serialize(object manifest) =>
        manifest is JsonNode node ? Plain.Serialize(ToPlain(node)) : ModelYaml.Serialize(manifest);

    // YamlDotNet knows dictionaries and lists, not System.Text.Json nodes.
    private static object? ToPlain(JsonNode? node) => node switch
    {
        JsonObject o => o.ToDictionary(p => p.Key, p => ToPlain(p.Value)),
        JsonArray a => a.Select(ToPlain).ToList(),
        JsonValue v when v.TryGetValue<int>(out var i) => i,
        JsonValue v when v.TryGetValue<bool>(out var b) => b,
        JsonValue v => v.ToString(),
        _ => null,
    };
}
