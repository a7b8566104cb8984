using System.Text;
using System.Text.RegularExpressions;
using KubeExpose.Plugin.Cli;
using KubeExpose.Plugin.Hosting;

namespace KubeExpose.Plugin.Completion;

/// <summary>
/// Answers kubectl's plugin completion (kubectl 1.26+ runs <c>kubectl_complete-expose2</c>, which calls
/// <c>kubectl-expose2 __complete WORDS... PARTIAL</c>) in Cobra's protocol: one candidate per line, then
/// <c>:DIRECTIVE</c>. Names from the cluster come from the module's own argument completers, through PowerShell's
/// tab completion, so pwsh and kubectl complete the same things.
/// </summary>
public sealed partial class Completer(ModuleRunspace engine)
{
    private const int NoSpace = 2;
    private const int NoFileCompletion = 4;
    private const int Default = 0;

    public string Complete(IReadOnlyList<string> words)
    {
        var partial = words.Count > 0 ? words[^1] : "";
        var before = words.Take(Math.Max(0, words.Count - 1)).ToList();
        var (subcommand, positionals, connection) = Read(before);
        var flags = CommandCatalog.AllFlagsOf(subcommand);

        var previous = before.LastOrDefault();
        if (previous is not null && !previous.Contains('=') && Flag(flags, previous) is { Kind: FlagKind.Value or FlagKind.List } valueFlag)
        {
            return ValuesOf(valueFlag, partial, connection);
        }

        if (partial.StartsWith('-'))
        {
            var names = flags.Select(f => "--" + f.Name).Concat(flags.Where(f => f.Short is not null).Select(f => "-" + f.Short));
            return Answer(names.Where(n => n.StartsWith(partial, StringComparison.Ordinal)), NoFileCompletion);
        }

        return subcommand switch
        {
            Subcommand.Expose when positionals.Count == 0 => Answer(
                CommandCatalog.Words.Keys.Where(w => w.StartsWith(partial, StringComparison.Ordinal))
                    .Concat(FromModule("Publish-Workload", "Target", partial, connection)),
                NoFileCompletion | (partial.Contains('/') ? 0 : NoSpace)),
            Subcommand.Reach => Answer(FromModule("Get-ServiceReachability", "Name", StripKind(partial), connection).Select(n => partial.Contains('/') ? partial[..(partial.IndexOf('/') + 1)] + n : n), NoFileCompletion),
            Subcommand.Tunnel when positionals.Count == 0 => Answer(FromModule("Start-KubeProxyTunnel", "Target", partial, connection), NoFileCompletion | (partial.Contains('/') ? 0 : NoSpace)),
            _ => Answer([], NoFileCompletion),
        };
    }

    private string ValuesOf(FlagSpec flag, string partial, string connection)
    {
        IEnumerable<string> candidates = flag.Name switch
        {
            "namespace" => FromModule("Get-ServiceReachability", "Namespace", partial, connection),
            "context" => FromModule("Get-ServiceReachability", "Context", partial, connection),
            "kubeconfig" => [],
            _ when flag.ValueName is { } value && value.Contains('|') => value.Split('|'),
            _ => [],
        };
        var directive = flag.Name == "kubeconfig" ? Default : NoFileCompletion;
        return Answer(candidates.Where(c => c.StartsWith(partial, StringComparison.OrdinalIgnoreCase)), directive);
    }

    private IEnumerable<string> FromModule(string command, string parameter, string partial, string connection)
    {
        var word = Bare().IsMatch(partial) ? partial : "'" + partial.Replace("'", "''", StringComparison.Ordinal) + "'";
        var line = $"{command}{connection} -{parameter} {word}";
        try
        {
            return engine.Complete(line).CompletionMatches.Select(m => m.CompletionText.Trim('\'', '"')).ToList();
        }
        catch (Exception e)
        {
            // Completion must never break the shell: no candidates, and the reason only when debugging.
            if (Environment.GetEnvironmentVariable("KUBEEXPOSE_DEBUG") is { Length: > 0 })
            {
                Console.Error.WriteLine(e);
            }

            return [];
        }
    }

    // The subcommand, positional words and connection flags typed so far, as a PowerShell parameter string.
    private static (Subcommand, List<string>, string) Read(List<string> words)
    {
        var subcommand = Subcommand.Expose;
        var positionals = new List<string>();
        var connection = new StringBuilder();
        var all = Enum.GetValues<Subcommand>().SelectMany(CommandCatalog.AllFlagsOf).ToList();
        for (var i = 0; i < words.Count; i++)
        {
            var word = words[i];
            if (word.StartsWith('-') && word.Length > 1)
            {
                var eq = word.IndexOf('=');
                var spec = Flag(all, eq < 0 ? word : word[..eq]);
                string? value = eq >= 0 ? word[(eq + 1)..] : null;
                if (spec is { Kind: FlagKind.Value or FlagKind.List } && value is null && i + 1 < words.Count)
                {
                    value = words[++i];
                }

                if (spec?.Name is "namespace" or "context" or "kubeconfig" && value is not null)
                {
                    var parameter = spec.Name switch { "namespace" => "Namespace", "context" => "Context", _ => "KubeConfig" };
                    connection.Append($" -{parameter} '{value.Replace("'", "''", StringComparison.Ordinal)}'");
                }

                continue;
            }

            if (positionals.Count == 0 && subcommand == Subcommand.Expose && CommandCatalog.Words.TryGetValue(word, out var chosen))
            {
                subcommand = chosen;
                continue;
            }

            positionals.Add(word);
        }

        return (subcommand, positionals, connection.ToString());
    }

    private static FlagSpec? Flag(IEnumerable<FlagSpec> flags, string written) =>
        written.StartsWith("--", StringComparison.Ordinal) ? flags.FirstOrDefault(f => "--" + f.Name == written)
        : written.Length == 2 && written[0] == '-' ? flags.FirstOrDefault(f => f.Short == written[1])
        : null;

    private static string StripKind(string partial) => partial.Contains('/') ? partial[(partial.IndexOf('/') + 1)..] : partial;

    private static string Answer(IEnumerable<string> candidates, int directive)
    {
        var text = new StringBuilder();
        foreach (var candidate in candidates.Distinct(StringComparer.Ordinal))
        {
            text.Append(candidate).Append('\n');
        }

        return text.Append(':').Append(directive).Append('\n').ToString();
    }

    [GeneratedRegex(@"^[A-Za-z0-9./:_-]*$")]
    private static partial Regex Bare();
}
