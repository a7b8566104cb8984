namespace KubeExpose.Core.Model;

/// <summary>How much a finding matters to the route it is attached to.</summary>
public enum FindingSeverity
{
    Info,
    Warning,
    Error,
}
