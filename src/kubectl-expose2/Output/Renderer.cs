using System.Collections;
using System.Management.Automation;
using KubeExpose.Plugin.Cli;

namespace KubeExpose.Plugin.Output;

/// <summary>Prints what a cmdlet wrote in the -o format asked for, kubectl-style.</summary>
public sealed class Renderer(FormatViews views, TextWriter stdout)
{
    private readonly TableBuilder _tables = new(views);

    public void Write(IReadOnlyList<PSObject> objects, InvokeRequest request)
    {
        // Manifests (-o yaml|json of expose) arrive as YAML text.
        if (objects.Count > 0 && objects.All(o => o.BaseObject is string))
        {
            WriteManifests(string.Join("\n", objects.Select(o => (string)o.BaseObject)), request.Output);
            return;
        }

        var items = objects.Where(o => o.BaseObject is not null).ToList();
        switch (request.Output)
        {
            case OutputFormat.Json:
                stdout.Write(TreeWriters.Json(Document(items, request.Subcommand)));
                break;
            case OutputFormat.Yaml:
                stdout.Write(TreeWriters.Yaml(Document(items, request.Subcommand)));
                break;
            case OutputFormat.Name:
                foreach (var name in items.Select(NameOf).Distinct(StringComparer.Ordinal))
                {
                    stdout.WriteLine(name);
                }

                break;
            default:
                WriteTables(items, request);
                break;
        }
    }

    private void WriteTables(List<PSObject> items, InvokeRequest request)
    {
        var wide = request.Output == OutputFormat.Wide;
        foreach (var group in items.GroupBy(o => o.TypeNames.FirstOrDefault() ?? ""))
        {
            var (headers, rows) = _tables.Build([.. group], wide, request.AllNamespaces);
            stdout.Write(TableWriter.Write(headers, rows, request.NoHeaders));

            // Collections of objects with a view of their own (the routes of an exposure) follow as their own table.
            foreach (var nested in NestedTables(group))
            {
                var (nestedHeaders, nestedRows) = _tables.Build(nested, wide, withNamespace: false);
                stdout.WriteLine();
                stdout.Write(TableWriter.Write(nestedHeaders, nestedRows, request.NoHeaders));
            }
        }
    }

    private IEnumerable<List<PSObject>> NestedTables(IEnumerable<PSObject> owners)
    {
        var byProperty = new Dictionary<string, List<PSObject>>(StringComparer.Ordinal);
        foreach (var owner in owners)
        {
            foreach (var property in owner.Properties)
            {
                object? value;
                try
                {
                    value = property.Value;
                }
                catch (GetValueException)
                {
                    continue;
                }

                if (value is string || value is not IEnumerable list)
                {
                    continue;
                }

                var elements = list.Cast<object?>().Where(e => e is not null).Select(PSObject.AsPSObject).ToList();
                if (elements.Count > 0 && _tables.HasTable(elements[0]))
                {
                    if (!byProperty.TryGetValue(property.Name, out var all))
                    {
                        byProperty[property.Name] = all = [];
                    }

                    all.AddRange(elements);
                }
            }
        }

        return byProperty.Values;
    }

    // kubectl prints one object as itself and several as a List; routes and probe results are always a list.
    private static object? Document(List<PSObject> items, Subcommand subcommand)
    {
        if (items.Count == 1 && subcommand is Subcommand.Expose or Subcommand.Tunnel or Subcommand.Proxy)
        {
            return ObjectTree.From(items[0]);
        }

        return List([.. items.Select(ObjectTree.From)]);
    }

    private static OrderedFields List(List<object?> items) =>
        new([new("apiVersion", "v1"), new("kind", "List"), new("items", items)]);

    private void WriteManifests(string yaml, OutputFormat output)
    {
        if (output != OutputFormat.Json)
        {
            stdout.Write(yaml.EndsWith('\n') ? yaml : yaml + "\n");
            return;
        }

        var documents = YamlDocuments.Read(yaml);
        stdout.Write(TreeWriters.Json(documents.Count == 1 ? documents[0] : List([.. documents])));
    }

    /// <summary>-o name: kind/name as kubectl prints it (service/web for exposures and routes).</summary>
    public static string NameOf(PSObject item)
    {
        string? Text(string property) => item.Properties[property]?.Value?.ToString();
        return Text("Service") is { Length: > 0 } service ? $"service/{service}"
            : Text("Name") is { Length: > 0 } name ? name
            : Text("Target") is { Length: > 0 } target ? target
            : item.ToString();
    }
}
