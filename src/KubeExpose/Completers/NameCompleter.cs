using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace KubeExpose.Completers;

/// <summary>Completes from a list of names, keeping those that start with what has been typed (quotes ignored).</summary>
public abstract class NameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var typed = wordToComplete.Trim('\'', '"');
        return Names(typed, fakeBoundParameters)
            .Where(n => n.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .Select(n => new CompletionResult(n, n, CompletionResultType.ParameterValue, n));
    }

    /// <summary>The candidate names; <paramref name="typed"/> lets a completer narrow what it asks the cluster for.</summary>
    protected abstract IEnumerable<string> Names(string typed, IDictionary fakeBoundParameters);
}
