using System.Net.Sockets;

namespace KubeExpose.Plugin.Server;

/// <summary>
/// Who is at the other end of a Unix socket (Linux SO_PEERCRED). The server runs calls with the caller's kubeconfig
/// and the caller sends its environment: both ends insist the other is the same user.
/// </summary>
internal static class PeerCredentials
{
    private const int SolSocket = 1;
    private const int SoPeerCred = 17;

    public static bool IsSameUser(Socket socket)
    {
        // struct ucred { pid_t pid; uid_t uid; gid_t gid; }: three 32-bit fields on every Linux architecture.
        Span<byte> credentials = stackalloc byte[12];
        try
        {
            return socket.GetRawSocketOption(SolSocket, SoPeerCred, credentials) == 12 &&
                   BitConverter.ToUInt32(credentials[4..8]) == EffectiveUserId;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>
    /// This process's effective uid, from /proc/self/status ("Uid: real effective saved fs"): no user-database lookup
    /// and no native library probing in a call whose whole point is to start fast.
    /// </summary>
    public static uint EffectiveUserId { get; } = ReadEffectiveUserId();

    private static uint ReadEffectiveUserId()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("Uid:", StringComparison.Ordinal))
            {
                var fields = line.Split(['\t', ' '], StringSplitOptions.RemoveEmptyEntries);
                return uint.Parse(fields[2], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        throw new IOException("/proc/self/status has no Uid line");
    }
}
