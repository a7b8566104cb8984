namespace KubeExpose.Plugin.Cli;

/// <summary>The flags and positional arguments of one command line, after kubectl-style parsing.</summary>
public sealed class ParsedArguments
{
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);

    public List<string> Positionals { get; } = [];

    internal void Add(string flag, string value)
    {
        if (!_values.TryGetValue(flag, out var list))
        {
            _values[flag] = list = [];
        }

        list.Add(value);
    }

    public bool Has(string flag) => _values.ContainsKey(flag);

    /// <summary>The flag's value (the last one given), or null when absent.</summary>
    public string? Value(string flag) => _values.TryGetValue(flag, out var list) ? list[^1] : null;

    /// <summary>Every value of a repeatable flag, comma-separated values split.</summary>
    public IReadOnlyList<string> Values(string flag) =>
        _values.TryGetValue(flag, out var list)
            ? [.. list.SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))]
            : [];

    /// <summary>Every value of a repeatable flag as given, commas kept (for values that may contain commas).</summary>
    public IReadOnlyList<string> RawValues(string flag) => _values.TryGetValue(flag, out var list) ? list : [];

    /// <summary>A switch's state: absent is false; <c>--flag</c> is true; <c>--flag=false</c> is false.</summary>
    public bool Switch(string flag) => Value(flag) is { } v && bool.Parse(v);

    public IEnumerable<string> Flags => _values.Keys;
}
