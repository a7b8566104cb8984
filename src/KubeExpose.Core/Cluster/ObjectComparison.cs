using System.Text.Json.Nodes;

namespace KubeExpose.Core.Cluster;

/// <summary>
/// Whether applying changed anything: the object compared with the server's dry-run result, ignoring the fields the
/// server bumps on every write. Needed because a no-op apply on older servers still updates managedFields timestamps
/// and the resourceVersion; comparing first lets "same command twice" write nothing at all.
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
