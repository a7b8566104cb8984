using System.Xml.Linq;

namespace KubeExpose.Plugin.Output;

/// <summary>One column of a view: a header and either a property name or a script block evaluated with <c>$_</c>.</summary>
public sealed record ViewColumn(string Header, string? Property, string? Script);

/// <summary>The module's table and list views (Formats/*.ps1xml), read so the plugin's tables show what pwsh shows.</summary>
public sealed class FormatViews
{
    private readonly Dictionary<string, IReadOnlyList<ViewColumn>> _tables = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, IReadOnlyList<ViewColumn>> _lists = new(StringComparer.OrdinalIgnoreCase);

    public static FormatViews Load(string moduleFolder)
    {
        var views = new FormatViews();
        var folder = Path.Combine(moduleFolder, "Formats");
        if (Directory.Exists(folder))
        {
            foreach (var file in Directory.EnumerateFiles(folder, "*.ps1xml").Order(StringComparer.Ordinal))
            {
                views.Read(XDocument.Load(file));
            }
        }

        return views;
    }

    public static FormatViews Parse(string xml)
    {
        var views = new FormatViews();
        views.Read(XDocument.Parse(xml));
        return views;
    }

    /// <summary>The first table view for the first of the type names that has one (most derived first).</summary>
    public IReadOnlyList<ViewColumn>? TableFor(IEnumerable<string> typeNames) => First(_tables, typeNames);

    public IReadOnlyList<ViewColumn>? ListFor(IEnumerable<string> typeNames) => First(_lists, typeNames);

    private static IReadOnlyList<ViewColumn>? First(Dictionary<string, IReadOnlyList<ViewColumn>> views, IEnumerable<string> typeNames)
    {
        foreach (var name in typeNames)
        {
            if (views.TryGetValue(name, out var view))
            {
                return view;
            }
        }

        return null;
    }

    private void Read(XDocument document)
    {
        foreach (var view in document.Descendants("View"))
        {
            var types = view.Element("ViewSelectedBy")?.Elements("TypeName").Select(t => t.Value.Trim()).ToList() ?? [];
            if (view.Element("TableControl") is { } table)
            {
                var headers = table.Element("TableHeaders")?.Elements("TableColumnHeader").ToList() ?? [];
                var items = table.Descendants("TableColumnItems").FirstOrDefault()?.Elements("TableColumnItem").ToList() ?? [];
                var columns = items.Select((item, i) => Column(i < headers.Count ? headers[i].Element("Label")?.Value : null, item)).ToList();
                AddFirst(_tables, types, columns);
            }
            else if (view.Element("ListControl") is { } list)
            {
                var items = list.Descendants("ListItems").FirstOrDefault()?.Elements("ListItem").ToList() ?? [];
                AddFirst(_lists, types, [.. items.Select(item => Column(item.Element("Label")?.Value, item))]);
            }
        }
    }

    private static ViewColumn Column(string? label, XElement item)
    {
        var property = item.Element("PropertyName")?.Value.Trim();
        var script = item.Element("ScriptBlock")?.Value;
        return new ViewColumn(label ?? property ?? "", property, script);
    }

    private static void AddFirst(Dictionary<string, IReadOnlyList<ViewColumn>> views, IEnumerable<string> types, IReadOnlyList<ViewColumn> columns)
    {
        foreach (var type in types)
        {
            views.TryAdd(type, columns);
        }
    }
}
