using System.Text;

namespace KubeExpose.Plugin.Output;

/// <summary>Lays out rows like <c>kubectl get</c>: uppercase headers, columns left-aligned, three spaces apart.</summary>
public static class TableWriter
{
    private const int Gap = 3;

    public static string Write(IReadOnlyList<string> headers, IReadOnlyList<IReadOnlyList<string>> rows, bool noHeaders)
    {
        var all = new List<IReadOnlyList<string>>();
        if (!noHeaders)
        {
            all.Add([.. headers.Select(Header)]);
        }

        all.AddRange(rows);
        var widths = new int[headers.Count];
        foreach (var row in all)
        {
            for (var i = 0; i < widths.Length; i++)
            {
                widths[i] = Math.Max(widths[i], Cell(row, i).Length);
            }
        }

        var text = new StringBuilder();
        foreach (var row in all)
        {
            var line = new StringBuilder();
            for (var i = 0; i < widths.Length; i++)
            {
                var cell = Cell(row, i);
                line.Append(i == widths.Length - 1 ? cell : cell.PadRight(widths[i] + Gap));
            }

            text.Append(line.ToString().TrimEnd()).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>kubectl's header style: "Service Port" and "ServicePort" both read SERVICE-PORT.</summary>
    public static string Header(string label)
    {
        var text = new StringBuilder();
        for (var i = 0; i < label.Length; i++)
        {
            var c = label[i];
            if (c is ' ' or '_')
            {
                text.Append('-');
                continue;
            }

            if (i > 0 && char.IsUpper(c) && char.IsLower(label[i - 1]))
            {
                text.Append('-');
            }

            text.Append(char.ToUpperInvariant(c));
        }

        return text.ToString();
    }

    private static string Cell(IReadOnlyList<string> row, int i) => i < row.Count ? row[i] : "";
}
