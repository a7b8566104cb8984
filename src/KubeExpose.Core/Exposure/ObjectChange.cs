namespace KubeExpose.Core.Exposure;

/// <summary>What one call did to one object.</summary>
public enum ChangeKind
{
    /// <summary>The object did not exist and was created.</summary>
    Created,
    /// <summary>The object existed and this call changed it.</summary>
    Updated,
    /// <summary>The object already said what this call asks for: nothing was written.</summary>
    Unchanged,
    /// <summary>Dry run: the object would be created.</summary>
    WouldCreate,
    /// <summary>Dry run: the object would be changed.</summary>
    WouldUpdate,
}

/// <summary>One object written (or checked) by Expose-Workload.</summary>
/// <param name="Object">kind/name, for example <c>service/web</c>.</param>
/// <param name="Change">What happened to it.</param>
/// <param name="ResourceVersion">Its resourceVersion afterwards (null in client dry run).</param>
public sealed record ObjectChange(string Object, ChangeKind Change, string? ResourceVersion)
{
    public override string ToString() => $"{Object} {Change}";
}
