namespace KubeExpose.Core;

/// <summary>What kind of failure a <see cref="KubeExposeException"/> is, so each front end can map it to its own vocabulary
/// (PowerShell error categories, plugin exit codes).</summary>
public enum KubeExposeErrorKind
{
    InvalidArgument,
    NotFound,
    PermissionDenied,
    Conflict,
    Connection,
    Timeout,
    InvalidConfiguration,
    InvalidOperation,
}
