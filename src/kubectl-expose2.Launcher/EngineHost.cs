using System.Collections;
using System.Runtime.InteropServices;
using KubeExpose.Plugin.Server;

namespace KubeExpose.Plugin.Launcher;

/// <summary>
/// Runs the call in the engine host (KubeExpose.Plugin, beside this executable) by replacing this process with it:
/// kubectl, the shell and Ctrl+C then deal with the host directly, exactly as if kubectl had started it.
/// </summary>
internal static class EngineHost
{
    /// <summary>The host's file name; it must not start with "kubectl-", or kubectl would list it as a plugin.</summary>
    public const string FileName = "KubeExpose.Plugin";

    public static int Exec(string[] args, bool startServer)
    {
        var host = Path.Combine(EngineServerSettings.PluginFolder, FileName);
        var argv = new List<string> { host };
        argv.AddRange(args);
        var environment = new List<string>();
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            if ((string)entry.Key != EngineServerSettings.StartVariable)
            {
                environment.Add($"{entry.Key}={entry.Value}");
            }
        }

        if (startServer && EngineServerSettings.Enabled)
        {
            // No server listens for this build: the host starts one after the call, for the next calls.
            environment.Add($"{EngineServerSettings.StartVariable}=1");
        }

        var nativeArgv = ToNative(argv);
        var nativeEnvironment = ToNative(environment);
        execve(host, nativeArgv, nativeEnvironment);
        // Only reached when execve failed.
        var error = Marshal.GetLastPInvokeError();
        Console.Error.WriteLine($"error: cannot start the KubeExpose engine host {host}: {Marshal.GetPInvokeErrorMessage(error)} (reinstall kubectl-expose2)");
        return 1;
    }

    // NULL-terminated arrays of UTF-8 C strings; never freed: the process image is replaced or exits right after.
    private static IntPtr[] ToNative(List<string> values)
    {
        var native = new IntPtr[values.Count + 1];
        for (var i = 0; i < values.Count; i++)
        {
            native[i] = Marshal.StringToCoTaskMemUTF8(values[i]);
        }

        return native;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int execve([MarshalAs(UnmanagedType.LPUTF8Str)] string path, IntPtr[] argv, IntPtr[] envp);
}
