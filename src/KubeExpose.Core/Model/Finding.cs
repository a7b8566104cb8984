namespace KubeExpose.Core.Model;

/// <summary>
/// Something the model noticed about a route. Codes are stable: KE1xxx Service, KE2xxx endpoints and pods,
/// KE3xxx Ingress, KE4xxx node and host, KE5xxx exposure requests.
/// </summary>
/// <remarks>
/// The routing model reports tens of thousands of findings on a big cluster and a reader looks at a few: their
/// <see cref="Message"/> and <see cref="Remedy"/> are formatted on first read (then kept), so a finding nobody reads
/// costs no text. Equality and <see cref="ToString"/> are by value, exactly as if the text had been formatted eagerly.
/// </remarks>
public sealed record Finding
{
    /// <summary>Stands for a remedy not formatted yet (a null remedy is a real answer).</summary>
    private static readonly string NotFormatted = new('\0', 1);

    private readonly FindingText? _text;
    private string? _message;
    private string? _remedy;

    /// <param name="Code">Stable identifier, for example <c>KE2001</c>.</param>
    /// <param name="Severity">How much it matters.</param>
    /// <param name="Message">What is wrong, naming the objects involved.</param>
    /// <param name="Remedy">What to do about it.</param>
    public Finding(string Code, FindingSeverity Severity, string Message, string? Remedy = null)
    {
        this.Code = Code;
        this.Severity = Severity;
        _message = Message;
        _remedy = Remedy;
    }

    /// <summary>A finding whose message and remedy <paramref name="text"/> formats when first read.</summary>
    internal Finding(string code, FindingSeverity severity, FindingText text)
    {
        Code = code;
        Severity = severity;
        _text = text;
        _remedy = NotFormatted;
    }

    /// <summary>Stable identifier, for example <c>KE2001</c>.</summary>
    public string Code { get; init; }

    /// <summary>How much it matters.</summary>
    public FindingSeverity Severity { get; init; }

    /// <summary>What is wrong, naming the objects involved.</summary>
    public string Message
    {
        // A race formats the same text twice and keeps either copy: harmless, and no lock on the hot path.
        get => _message ??= _text!.Message();
        init => _message = value;
    }

    /// <summary>What to do about it.</summary>
    public string? Remedy
    {
        get
        {
            var remedy = _remedy;
            if (ReferenceEquals(remedy, NotFormatted))
            {
                _remedy = remedy = _text!.Remedy();
            }

            return remedy;
        }

        init => _remedy = value;
    }

    public void Deconstruct(out string Code, out FindingSeverity Severity, out string Message, out string? Remedy)
    {
        Code = this.Code;
        Severity = this.Severity;
        Message = this.Message;
        Remedy = this.Remedy;
    }

    /// <summary>By value: code, severity, message and remedy. Compares the cheap fields first, so findings with different codes never format their text.</summary>
    public bool Equals(Finding? other) =>
        ReferenceEquals(this, other)
        || (other is not null && Code == other.Code && Severity == other.Severity && Message == other.Message && Remedy == other.Remedy);

    /// <summary>Hashes the code and severity only: equal findings still hash alike, and hashing formats no text.</summary>
    public override int GetHashCode() => HashCode.Combine(Code, Severity);

    public override string ToString() => $"{Code} {Message}";
}

/// <summary>Formats a finding's message and remedy on demand (see <see cref="Finding"/>).</summary>
internal abstract class FindingText
{
    public abstract string Message();

    public abstract string? Remedy();
}

/// <summary>
/// The arguments of one finding and the two (static) functions that format them: one small object per finding
/// instead of two long strings.
/// </summary>
internal sealed class FindingText<TState>(TState state, Func<TState, string> message, Func<TState, string?> remedy) : FindingText
{
    public override string Message() => message(state);

    public override string? Remedy() => remedy(state);
}
