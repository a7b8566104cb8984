using System.Net.Sockets;
using System.Runtime.InteropServices;

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
                   BitConverter.ToUInt32(credentials[4..8]) == GetEffectiveUserId();
        }
        catch (SocketException)
        {
            return false;
        }
    }

    [DllImport("libc", EntryPoint = "geteuid")]
    private static extern uint GetEffectiveUserId();
}
