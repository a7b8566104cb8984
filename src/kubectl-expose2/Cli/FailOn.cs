namespace KubeExpose.Plugin.Cli;

/// <summary>Which route statuses make <c>reach</c> exit 1 (for CI gates).</summary>
public enum FailOn
{
    Never,

    /// <summary>Any route Broken.</summary>
    Broken,

    /// <summary>Any route Broken or Degraded.</summary>
    Degraded,
}
