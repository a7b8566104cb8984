using System.Diagnostics;

namespace KubeExpose.Plugin.Server;

/// <summary>Starts the warm engine server in the background, detached from the caller's terminal and pipes.</summary>
internal static class EngineLauncher
{
    public static void StartInBackground()
    {
        if (Environment.ProcessPath is not { } executable || !File.Exists("/bin/sh"))
        {
            return;
        }

        // Through sh so the server is not our child and holds none of our stdio: `out=$(kubectl expose2 ...)` must
        // not wait for it. Background jobs of a non-interactive shell ignore SIGINT, too.
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add($"\"$0\" {EngineServer.Flag} </dev/null >/dev/null 2>&1 &");
        start.ArgumentList.Add(executable);
        try
        {
            using var shell = Process.Start(start);
            shell?.WaitForExit();
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException)
        {
            // Only a faster next call is lost.
        }
    }
}
