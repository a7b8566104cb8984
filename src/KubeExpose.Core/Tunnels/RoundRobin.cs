namespace KubeExpose.Core.Tunnels;

/// <summary>
/// Hands out the members of a changing set in turn. The set is replaced as a whole when pods come and go; the turn
/// counter carries over, so connections keep spreading evenly instead of restarting at the first pod.
/// </summary>
public sealed class RoundRobin<T>
    where T : class
{
    private IReadOnlyList<T> _members = [];
    private long _turn = -1;

    public IReadOnlyList<T> Members => Volatile.Read(ref _members);

    public void Replace(IReadOnlyList<T> members) => Volatile.Write(ref _members, [.. members]);

    /// <summary>The next member, or null when the set is empty.</summary>
    public T? Next(Func<T, bool>? except = null)
    {
        var members = Members;
        if (members.Count == 0)
        {
            return null;
        }

        // One pass at most: skip members the caller already failed on in this attempt.
        for (var i = 0; i < members.Count; i++)
        {
            var turn = Interlocked.Increment(ref _turn);
            var candidate = members[(int)(turn % members.Count)];
            if (except is null || !except(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
