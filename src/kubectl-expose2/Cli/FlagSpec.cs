namespace KubeExpose.Plugin.Cli;

/// <summary>How a flag takes its value, following kubectl's (pflag's) rules.</summary>
public enum FlagKind
{
    /// <summary>A switch: <c>--wait</c>, or <c>--wait=false</c>.</summary>
    Bool,

    /// <summary>One value: <c>--type NodePort</c>, <c>--type=NodePort</c>, <c>-nNS</c>; the last one given wins.</summary>
    Value,

    /// <summary>Repeatable, comma-separated values: <c>--port 80,443</c> or <c>--port 80 --port 443</c>.</summary>
    List,

    /// <summary>A value only after '=' (<c>--dry-run=server</c>); bare, it means <see cref="FlagSpec.Implied"/>.</summary>
    OptionalValue,
}

/// <summary>One kubectl-style flag of the plugin.</summary>
/// <param name="Name">The long name, without dashes.</param>
/// <param name="Short">The one-letter form, if any.</param>
/// <param name="Kind">How the flag takes its value.</param>
/// <param name="ValueName">What the value is, for the help text (PORT, NAME...).</param>
/// <param name="Help">One line for the help text.</param>
/// <param name="Implied">The value of a bare <see cref="FlagKind.OptionalValue"/> flag.</param>
public sealed record FlagSpec(string Name, char? Short, FlagKind Kind, string? ValueName, string Help, string? Implied = null)
{
    public static FlagSpec Bool(string name, string help, char? shortName = null) => new(name, shortName, FlagKind.Bool, null, help);

    public static FlagSpec Value(string name, string valueName, string help, char? shortName = null) =>
        new(name, shortName, FlagKind.Value, valueName, help);

    public static FlagSpec List(string name, string valueName, string help, char? shortName = null) =>
        new(name, shortName, FlagKind.List, valueName, help);

    /// <summary>How the flag reads in help: <c>-n, --namespace=NS</c>.</summary>
    public string Synopsis =>
        (Short is null ? "    " : $"-{Short}, ") + "--" + Name + Kind switch
        {
            FlagKind.Bool => "",
            FlagKind.OptionalValue => $"[={ValueName}]",
            _ => $"={ValueName}",
        };
}
