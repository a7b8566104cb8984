using System.Collections;
using System.Globalization;
using System.Management.Automation;

namespace KubeExpose.Plugin.Output;

/// <summary>
/// Turns what a cmdlet wrote into plain data for JSON and YAML: a dictionary of the object's real properties (names in
/// camelCase, as kubectl's JSON has them), lists for collections, enums as their names, numbers and booleans as such.
/// </summary>
public static class ObjectTree
{
    private const int MaxDepth = 12;

    public static object? From(object? value) => Convert(value, 0);

    private static object? Convert(object? value, int depth)
    {
        if (value is PSObject pso)
        {
            value = pso.BaseObject is PSCustomObject ? pso : pso.BaseObject;
        }

        switch (value)
        {
            case null:
                return null;
            case string or bool:
                return value;
            case Enum e:
                return e.ToString();
            case int or long or short or byte or uint or ulong or ushort or sbyte or double or float or decimal:
                return value;
            case DateTime time:
                return time.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
            case DateTimeOffset time:
                return time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
            case TimeSpan span:
                return span.TotalSeconds;
            case Uri or Guid or Version or System.Net.IPAddress or char:
                return value.ToString();
        }

        if (depth >= MaxDepth)
        {
            return value.ToString();
        }

        if (value is IDictionary dictionary)
        {
            var map = new SortedDictionary<string, object?>(StringComparer.Ordinal);
            foreach (DictionaryEntry entry in dictionary)
            {
                map[entry.Key.ToString() ?? ""] = Convert(entry.Value, depth + 1);
            }

            return map;
        }

        if (value is IEnumerable sequence)
        {
            return sequence.Cast<object?>().Select(item => Convert(item, depth + 1)).ToList();
        }

        var fields = new List<KeyValuePair<string, object?>>();
        foreach (var property in PSObject.AsPSObject(value).Properties)
        {
            if (property.MemberType is PSMemberTypes.ScriptProperty or PSMemberTypes.CodeProperty && property.Name.StartsWith("PS", StringComparison.Ordinal))
            {
                continue;
            }

            object? raw;
            try
            {
                raw = property.Value;
            }
            catch (GetValueException)
            {
                continue;
            }

            fields.Add(new(CamelCase(property.Name), Convert(raw, depth + 1)));
        }

        return new OrderedFields(fields);
    }

    public static string CamelCase(string name) =>
        name.Length == 0 || char.IsLower(name[0]) ? name
        : name.Length > 1 && name.All(c => char.IsUpper(c) || char.IsDigit(c)) ? name.ToLowerInvariant()
        : char.ToLowerInvariant(name[0]) + name[1..];
}

/// <summary>An object's fields in declaration order (a dictionary would lose the order for YAML).</summary>
public sealed class OrderedFields(IReadOnlyList<KeyValuePair<string, object?>> fields) : IEnumerable<KeyValuePair<string, object?>>
{
    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => fields.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
