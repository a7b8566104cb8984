using System.Management.Automation;

namespace KubeExpose.Plugin.Hosting;

/// <summary>
/// Turns an ErrorRecord (or an engine exception) into the one line the plugin prints on stderr: the record's message,
/// with PowerShell parameter names replaced by the flags the user typed, and never a stack trace.
/// </summary>
public static class ErrorLines
{
    public static string Of(ErrorRecord record, IReadOnlyDictionary<string, string>? flagNames = null)
    {
        var message = record.ErrorDetails?.Message is { Length: > 0 } details ? details : record.Exception?.Message ?? record.ToString();
        return OneLine(Translate(message, flagNames));
    }

    public static string Of(Exception error, IReadOnlyDictionary<string, string>? flagNames = null)
    {
        var record = error is IContainsErrorRecord { ErrorRecord: { } r } ? r : null;
        // A cmdlet's exception surfaces wrapped; the innermost message is the one that names the object and the fix.
        var message = record?.ErrorDetails?.Message is { Length: > 0 } details
            ? details
            : error is CmdletInvocationException { InnerException: { } inner } ? inner.Message : error.Message;
        return OneLine(Translate(message, flagNames));
    }

    /// <summary>Whether the failure is about the arguments (a parameter binding or validation failure): exit code 2.</summary>
    public static bool IsUsage(Exception error) => error is ParameterBindingException;

    public static bool IsUsage(ErrorRecord record) => record.Exception is ParameterBindingException;

    private static string Translate(string message, IReadOnlyDictionary<string, string>? flagNames)
    {
        if (flagNames is null)
        {
            return message;
        }

        foreach (var (parameter, flag) in flagNames)
        {
            message = message.Replace($"parameter '{parameter}'", $"flag {flag}", StringComparison.Ordinal);
        }

        return message;
    }

    private static string OneLine(string message) =>
        string.Join(" ", message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
