using System.Text.Json.Nodes;

namespace KubeExpose.Core.Cluster;

/// <summary>
/// Whether applying changed anything: the object compared with the server's dry-run result, ignoring the fields the
/// server bumps on every write. Comparing first means "same command twice" writes nothing at all, whatever a given
/// server version does with a no-op apply (managedFields timestamps), and tells Updated from Unchanged.
/// </summary>
internal static class ObjectComparison
{
    private static readonly string[] VolatileMetadata = ["resourceVersion", "managedFields", "generation", "creationTimestamp", "uid", "selfLink"];

    public static bool SameContent(JsonNode? current, JsonNode? proposed) =>
        current is not null && proposed is not null && JsonNode.DeepEquals(Strip(current), Strip(proposed));

    private static JsonNode Strip(JsonNode node)
    {
        var copy = node.DeepClone().AsObject();
        copy.Remove("status");
        if (copy["metadata"] is JsonObject meta)
        {
            foreach (var key in VolatileMetadata)
            {
                meta.Remove(key);
            }
        }

        return copy;
    }
}
