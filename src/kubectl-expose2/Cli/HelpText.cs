using System.Text;

namespace KubeExpose.Plugin.Cli;

/// <summary>The help of each subcommand, laid out like kubectl's: what it does, examples, options, usage.</summary>
public static class HelpText
{
    public static string For(Subcommand subcommand)
    {
        var (summary, examples, usage) = subcommand switch
        {
            Subcommand.Reach => (
                "List every route to a Service from every vantage point (pod, node, outside, operator), with its status\nand the reasons a route is broken.",
                """
                  # Every route to the Service "web" in the current namespace
                  kubectl expose2 reach svc/web

                  # Every Service in the cluster, with backends and all findings
                  kubectl expose2 reach -A -o wide

                  # Fail a CI step when a route of "web" is broken
                  kubectl expose2 reach svc/web --fail-on broken
                """,
                "kubectl expose2 reach (svc/NAME | NAME)... | -A [flags]"),
            Subcommand.Tunnel => (
                "Forward local ports to a pod, or to the ready pods behind a Service or workload, in the foreground.\nThe tunnel survives pod restarts; Ctrl+C stops it.",
                """
                  # Forward local port 8080 to port 80 of the Service "web"
                  kubectl expose2 tunnel svc/web 8080:80

                  # A random local port to the port named "http" of the Deployment's pods
                  kubectl expose2 tunnel deploy/web :http
                """,
                "kubectl expose2 tunnel TYPE/NAME [LOCAL:]REMOTE... [flags]"),
            Subcommand.Proxy => (
                "Serve the Kubernetes API on a local port with kubectl proxy's filters, in the foreground. Ctrl+C stops it.",
                """
                  # Serve the API on http://127.0.0.1:8001
                  kubectl expose2 proxy

                  # A random port, and the proxy URL of the Service "web" port 80
                  kubectl expose2 proxy --port 0 --service svc/web:80
                """,
                "kubectl expose2 proxy [--port PORT] [flags]"),
            Subcommand.Test => (
                "Probe HTTP, HTTPS and TCP endpoints with retries and expectations. Exit code 1 if any target fails.",
                """
                  # A URL, up to six tries, expecting "ok" in the body
                  kubectl expose2 test http://127.0.0.1:8080/healthz --retries 5 --expect-content ok

                  # A TCP port
                  kubectl expose2 test db.example.test:5432 -q
                """,
                "kubectl expose2 test (URL | HOST:PORT)... [flags]"),
            _ => (
                "Expose a workload as a Service (and optionally an Ingress) in one step, with kubectl expose's flags, and\nprint the routes it gives. --external picks what works from outside on this cluster and says why.\n\nSubcommands:\n  reach    List every route to a Service and whether it works\n  tunnel   Port-forward that survives pod restarts (foreground)\n  proxy    A local API proxy like kubectl proxy (foreground)\n  test     Probe URLs and host:port endpoints",
                """
                  # A ClusterIP Service for the Deployment "web" on port 80
                  kubectl expose2 deploy/web --port 80

                  # Reachable from outside, waiting until the routes are Ready
                  kubectl expose2 deploy/web --external --wait

                  # The manifest kubectl expose would print, without sending anything
                  kubectl expose2 deploy/web --dry-run=client -o yaml

                  # An Ingress with TLS
                  kubectl expose2 deploy/web --ingress --ingress-host web.example.test --tls-secret web-tls
                """,
                "kubectl expose2 TYPE/NAME [flags]\n  kubectl expose2 (reach | tunnel | proxy | test) [args] [flags]"),
        };

        var text = new StringBuilder();
        text.AppendLine(summary).AppendLine().AppendLine("Examples:").Append(examples.TrimEnd()).AppendLine().AppendLine();
        text.AppendLine("Options:");
        AppendFlags(text, CommandCatalog.FlagsOf(subcommand));
        text.AppendLine().AppendLine("Global options:");
        AppendFlags(text, CommandCatalog.Global);
        text.AppendLine().AppendLine("Usage:").Append("  ").AppendLine(usage).AppendLine();
        text.AppendLine("Exit codes: 0 success, 1 failure, 2 usage error.");
        if (subcommand == Subcommand.Expose)
        {
            text.AppendLine("Use \"kubectl expose2 <subcommand> --help\" for more information about a subcommand.");
            text.AppendLine().AppendLine(
                "The first call starts a warm copy of the plugin in the background (Linux, per user, exits after 10 idle\n" +
                "minutes) that serves later expose, reach and test calls and completion in a fraction of the start-up time.\n" +
                "KUBEEXPOSE_PLUGIN_SERVER=off turns it off; it is off by default when CI is set.");
        }

        return text.ToString();
    }

    private static void AppendFlags(StringBuilder text, IEnumerable<FlagSpec> flags)
    {
        foreach (var flag in flags)
        {
            text.Append("    ").Append(flag.Synopsis.PadRight(40)).Append(' ').AppendLine(flag.Help);
        }
    }
}
