namespace KubeExpose.Core;

/// <summary>
/// The one exception type Core throws for failures a user can act on. The message names the object and the fix;
/// <see cref="Target"/> is the object it is about (for example <c>service/web in namespace prod</c>).
/// </summary>
public sealed class KubeExposeException : Exception
{
    public KubeExposeException(KubeExposeErrorKind kind, string errorId, string message, string? target = null, Exception? inner = null)
        : base(message, inner)
    {
        Kind = kind;
        ErrorId = errorId;
        Target = target;
    }

    public KubeExposeErrorKind Kind { get; }

    /// <summary>A stable PascalCase identifier, used as the PowerShell error id.</summary>
    public string ErrorId { get; }

    public string? Target { get; }
}
