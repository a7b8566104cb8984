namespace KubeExpose.Plugin.Cli;

/// <summary>The command line cannot be understood: printed as one line on stderr and exit code 2, like kubectl.</summary>
public sealed class UsageException(string message) : Exception(message);
