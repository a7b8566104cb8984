namespace KubeExpose.Core.Model;

/// <summary>
/// Something the model noticed about a route. Codes are stable: KE1xxx Service, KE2xxx endpoints and pods,
/// KE3xxx Ingress, KE4xxx node and host, KE5xxx exposure requests.
/// </summary>
/// <param name="Code">Stable identifier, for example <c>KE2001</c>.</param>
/// <param name="Severity">How much it matters.</param>
/// <param name="Message">What is wrong, naming the objects involved.</param>
/// <param name="Remedy">What to do about it.</param>
public sealed record Finding(string Code, FindingSeverity Severity, string Message, string? Remedy = null)
{
    public override string ToString() => $"{Code} {Message}";
}
