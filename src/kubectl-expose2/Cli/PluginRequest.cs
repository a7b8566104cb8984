using System.Collections;

namespace KubeExpose.Plugin.Cli;

/// <summary>What one command line asks the plugin to do.</summary>
public abstract record PluginRequest;

/// <summary>Print help text (exit 0).</summary>
public sealed record HelpRequest(string Text) : PluginRequest;

/// <summary>Print the version (exit 0).</summary>
public sealed record VersionRequest : PluginRequest;

/// <summary>The hidden <c>__complete</c> subcommand kubectl's plugin completion calls: the words typed so far, the last one partial.</summary>
public sealed record CompleteRequest(IReadOnlyList<string> Words) : PluginRequest;

/// <summary>A cmdlet of the module and its parameters: the whole of the argument mapping.</summary>
/// <param name="Command">The cmdlet name, for example Get-ServiceReachability.</param>
/// <param name="Parameters">Parameter name to value; a switch is <c>true</c>.</param>
public sealed record CmdletCall(string Command, IReadOnlyDictionary<string, object> Parameters)
{
    public override string ToString() =>
        Command + string.Concat(Parameters.Select(p => $" -{p.Key} {Show(p.Value)}"));

    private static string Show(object value) => value switch
    {
        string s => s,
        IDictionary d => "@{" + string.Join("; ", d.Keys.Cast<object>().Order().Select(k => $"{k}={d[k]}")) + "}",
        IEnumerable e => string.Join(",", e.Cast<object>()),
        _ => value.ToString() ?? "",
    };
}

/// <summary>Run a cmdlet and print what it writes the way kubectl would.</summary>
/// <param name="Subcommand">Which subcommand was typed.</param>
/// <param name="Call">The cmdlet and its parameters.</param>
/// <param name="Output">The -o format.</param>
/// <param name="NoHeaders">--no-headers: tables without their header line.</param>
/// <param name="AllNamespaces">-A: tables get a NAMESPACE column.</param>
/// <param name="FailOn">reach --fail-on: which statuses make the exit code 1.</param>
/// <param name="FlagNames">Cmdlet parameter name to the flag it came from, so binding errors name the flag the user typed.</param>
public sealed record InvokeRequest(
    Subcommand Subcommand,
    CmdletCall Call,
    OutputFormat Output,
    bool NoHeaders,
    bool AllNamespaces,
    FailOn FailOn,
    IReadOnlyDictionary<string, string> FlagNames) : PluginRequest;
