using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace KubeExpose.Plugin.Output;

/// <summary>Reads YAML manifests (what the cmdlet emits for -o yaml) into the plain tree, to print them as JSON.</summary>
public static class YamlDocuments
{
    public static IReadOnlyList<object?> Read(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return [.. stream.Documents.Where(d => d.RootNode is not YamlScalarNode { Value: null or "" }).Select(d => Convert(d.RootNode))];
    }

    private static object? Convert(YamlNode node) => node switch
    {
        YamlMappingNode map => new OrderedFields([.. map.Children.Select(c => new KeyValuePair<string, object?>(((YamlScalarNode)c.Key).Value ?? "", Convert(c.Value)))]),
        YamlSequenceNode list => list.Children.Select(Convert).ToList(),
        YamlScalarNode scalar => Scalar(scalar),
        _ => null,
    };

    // Only plain scalars are typed (YAML 1.2 core schema); quoted ones are strings whatever they look like.
    private static object? Scalar(YamlScalarNode scalar)
    {
        var value = scalar.Value;
        if (scalar.Style != ScalarStyle.Plain || value is null)
        {
            return value;
        }

        return value switch
        {
            "null" or "Null" or "NULL" or "~" or "" => null,
            "true" or "True" or "TRUE" => true,
            "false" or "False" or "FALSE" => false,
            _ when long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) => n,
            _ when value.Any(char.IsDigit) && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
            _ => value,
        };
    }
}
