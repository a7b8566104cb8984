using System.Collections;
using System.Globalization;
using System.Management.Automation;

namespace KubeExpose.Plugin.Output;

/// <summary>
/// Builds table rows from the objects a cmdlet wrote, with the columns of the module's own table view (so pwsh and
/// the plugin show the same thing); -o wide adds the list view's other items; objects without a view show their
/// scalar properties.
/// </summary>
public sealed class TableBuilder(FormatViews views)
{
    public const string None = "<none>";

    private readonly Dictionary<string, ScriptBlock> _scripts = new(StringComparer.Ordinal);

    public (IReadOnlyList<string> Headers, IReadOnlyList<IReadOnlyList<string>> Rows) Build(IReadOnlyList<PSObject> objects, bool wide, bool withNamespace)
    {
        var columns = ColumnsFor(objects[0], wide).ToList();
        if (withNamespace && objects[0].Properties["Namespace"] is not null
            && !columns.Any(c => c.Header.Equals("Namespace", StringComparison.OrdinalIgnoreCase)))
        {
            columns.Insert(0, new ViewColumn("Namespace", "Namespace", null));
        }

        var rows = objects.Select(o => (IReadOnlyList<string>)[.. columns.Select(c => Text(Evaluate(c, o)))]).ToList();
        return ([.. columns.Select(c => c.Header)], rows);
    }

    public IEnumerable<ViewColumn> ColumnsFor(PSObject sample, bool wide)
    {
        var table = views.TableFor(sample.TypeNames);
        if (table is null)
        {
            return ScalarColumns(sample);
        }

        if (!wide)
        {
            return table;
        }

        var extra = (views.ListFor(sample.TypeNames) ?? [])
            .Where(l => !table.Any(t => t.Header.Equals(l.Header, StringComparison.OrdinalIgnoreCase)));
        return [.. table, .. extra];
    }

    /// <summary>Whether objects of this kind have a table view of their own (used for nested collections such as routes).</summary>
    public bool HasTable(PSObject sample) => views.TableFor(sample.TypeNames) is not null;

    private static IEnumerable<ViewColumn> ScalarColumns(PSObject sample) =>
        sample.Properties
            .Where(p => p.IsGettable && IsScalar(SafeValue(p)) && !p.Name.StartsWith("PS", StringComparison.Ordinal))
            .Select(p => new ViewColumn(p.Name, p.Name, null));

    private object? Evaluate(ViewColumn column, PSObject target)
    {
        if (column.Property is not null)
        {
            return target.Properties[column.Property] is { } property ? SafeValue(property) : null;
        }

        if (!_scripts.TryGetValue(column.Script!, out var script))
        {
            _scripts[column.Script!] = script = ScriptBlock.Create(column.Script!);
        }

        try
        {
            var results = script.InvokeWithContext(null, [new PSVariable("_", target)]);
            return results.Count switch
            {
                0 => null,
                1 => results[0],
                _ => results,
            };
        }
        catch (RuntimeException)
        {
            return null;
        }
    }

    private static object? SafeValue(PSPropertyInfo property)
    {
        try
        {
            return property.Value;
        }
        catch (GetValueException)
        {
            return null;
        }
    }

    private static bool IsScalar(object? value) =>
        (value is PSObject p ? p.BaseObject : value) is null or string or bool or Enum or int or long or double or decimal or Uri or DateTime or DateTimeOffset or TimeSpan;

    /// <summary>One cell: nothing is &lt;none&gt; (as in kubectl), lists are comma-joined, lines are joined with "; ".</summary>
    public static string Text(object? value)
    {
        if (value is PSObject pso)
        {
            value = pso.BaseObject;
        }

        var text = value switch
        {
            null => "",
            string s => s,
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            IEnumerable list => string.Join(",", list.Cast<object?>().Select(Text).Where(t => t != None)),
            _ => value.ToString() ?? "",
        };
        text = string.Join("; ", text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return text.Length == 0 ? None : text;
    }
}
