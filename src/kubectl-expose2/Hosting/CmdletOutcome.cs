using System.Collections.ObjectModel;
using System.Management.Automation;

namespace KubeExpose.Plugin.Hosting;

/// <summary>Everything one cmdlet invocation wrote.</summary>
/// <param name="Output">The objects on the pipeline.</param>
/// <param name="Errors">Non-terminating errors (one per failed item).</param>
/// <param name="Warnings">Warning messages.</param>
/// <param name="Terminating">The terminating error, if the cmdlet stopped with one.</param>
/// <param name="Stopped">The invocation was stopped (Ctrl+C).</param>
public sealed record CmdletOutcome(
    Collection<PSObject> Output, IReadOnlyList<ErrorRecord> Errors, IReadOnlyList<string> Warnings, Exception? Terminating, bool Stopped)
{
    public bool Failed => Terminating is not null || Errors.Count > 0;
}
