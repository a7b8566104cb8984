using System.Collections;
using System.Globalization;

namespace KubeExpose.Plugin.Cli;

/// <summary>
/// Turns a kubectl-style command line into the cmdlet to run and its parameters. This is all the plugin decides:
/// what a flag means is the cmdlet's business, so values pass through unchanged except for kubectl's spellings
/// (durations, <c>--cluster-ip None</c>, <c>-l k=v,...</c>, <c>--dry-run=none</c>) that have a cmdlet equivalent.
/// </summary>
public static class ArgumentMapper
{
    private const string CompleteWord = "__complete";

    public static PluginRequest Map(IReadOnlyList<string> args)
    {
        if (args.Count > 0 && args[0] == CompleteWord)
        {
            return new CompleteRequest([.. args.Skip(1)]);
        }

        var (subcommand, rest) = FindSubcommand(args);
        var parsed = FlagParser.Parse(rest, CommandCatalog.AllFlagsOf(subcommand), CommandCatalog.NameOf(subcommand));
        if (parsed.Switch("help"))
        {
            return new HelpRequest(HelpText.For(subcommand));
        }

        if (parsed.Switch("version"))
        {
            return new VersionRequest();
        }

        var parameters = new Dictionary<string, object>(StringComparer.Ordinal);
        var flagNames = new Dictionary<string, string>(StringComparer.Ordinal);
        var map = new Mapping(parsed, parameters, flagNames);
        map.Text("namespace", "Namespace");
        map.Text("context", "Context");
        map.Text("kubeconfig", "KubeConfig");

        var output = OutputOf(parsed, subcommand);
        var failOn = FailOn.Never;
        string command;
        switch (subcommand)
        {
            case Subcommand.Expose:
                command = "Publish-Workload";
                MapExpose(parsed, map, output);
                break;
            case Subcommand.Reach:
                command = "Get-ServiceReachability";
                failOn = MapReach(parsed, map);
                break;
            case Subcommand.Tunnel:
                command = "Start-KubeProxyTunnel";
                MapTunnel(parsed, map);
                break;
            case Subcommand.Proxy:
                command = "Start-KubeProxyTunnel";
                MapProxy(parsed, map);
                break;
            default:
                command = "Test-Endpoint";
                MapTest(parsed, map);
                break;
        }

        return new InvokeRequest(subcommand, new CmdletCall(command, parameters), output, parsed.Switch("no-headers"),
            parsed.Switch("all-namespaces"), failOn, flagNames);
    }

    // The subcommand word is the first positional argument; a flag's separate value is not one.
    private static (Subcommand, List<string>) FindSubcommand(IReadOnlyList<string> args)
    {
        var valueFlags = Enum.GetValues<Subcommand>().SelectMany(CommandCatalog.AllFlagsOf)
            .Where(f => f.Kind is FlagKind.Value or FlagKind.List).ToList();
        for (var i = 0; i < args.Count; i++)
        {
            var token = args[i];
            if (token == "--")
            {
                break;
            }

            if (token.StartsWith('-') && token.Length > 1)
            {
                var takesNext = token.StartsWith("--", StringComparison.Ordinal)
                    ? !token.Contains('=') && valueFlags.Any(f => "--" + f.Name == token)
                    : token.Length == 2 && valueFlags.Any(f => f.Short == token[1]);
                if (takesNext)
                {
                    i++;
                }

                continue;
            }

            if (token == "help")
            {
                var topic = args.Skip(i + 1).FirstOrDefault(a => CommandCatalog.Words.ContainsKey(a));
                return (topic is null ? Subcommand.Expose : CommandCatalog.Words[topic], ["--help"]);
            }

            if (CommandCatalog.Words.TryGetValue(token, out var subcommand))
            {
                return (subcommand, [.. args.Take(i), .. args.Skip(i + 1)]);
            }

            break;
        }

        return (Subcommand.Expose, [.. args]);
    }

    private static OutputFormat OutputOf(ParsedArguments parsed, Subcommand subcommand)
    {
        var value = parsed.Value("output");
        if (value is null)
        {
            return OutputFormat.Table;
        }

        var allowed = CommandCatalog.FlagsOf(subcommand).First(f => f.Name == "output").ValueName!.Split('|');
        if (!allowed.Contains(value, StringComparer.Ordinal))
        {
            throw new UsageException($"unable to match a printer suitable for the output format \"{value}\", allowed formats are: {string.Join(",", allowed)}");
        }

        return Enum.Parse<OutputFormat>(value, ignoreCase: true);
    }

    private static void MapExpose(ParsedArguments parsed, Mapping map, OutputFormat output)
    {
        map.Parameters["Target"] = parsed.Positionals.Count switch
        {
            0 => throw new UsageException("you must provide a resource to expose: TYPE/NAME, for example deploy/web"),
            1 when parsed.Positionals[0].Contains('/') => parsed.Positionals[0],
            1 => throw new UsageException($"\"{parsed.Positionals[0]}\" is not TYPE/NAME: write it as deploy/{parsed.Positionals[0]} (or svc/, sts/, ds/, rs/, rc/, job/, pod/)"),
            2 when !parsed.Positionals[0].Contains('/') => $"{parsed.Positionals[0]}/{parsed.Positionals[1]}",
            _ => throw new UsageException($"expose takes one resource, got: {string.Join(" ", parsed.Positionals)}"),
        };

        map.Ports("port", "Port");
        map.List("target-port", "TargetPort");
        map.List("container-port", "TargetPort");
        map.Choice("protocol", "Protocol", ["TCP", "UDP", "SCTP"], list: true);
        map.Text("name", "ServiceName");
        map.List("external-ip", "ExternalIP");
        map.Choice("session-affinity", "SessionAffinity", ["None", "ClientIP"]);
        map.Integer("session-affinity-timeout", "SessionAffinityTimeoutSeconds");
        map.Text("external-name", "ExternalName");
        map.Text("load-balancer-class", "LoadBalancerClass");
        map.List("load-balancer-source-ranges", "LoadBalancerSourceRange");
        map.Choice("external-traffic-policy", "ExternalTrafficPolicy", ["Cluster", "Local"]);
        map.Switch("external", "External");
        map.Ports("node-port", "NodePort");
        map.Switch("ingress", "Ingress");
        map.List("ingress-host", "IngressHost");
        map.Text("ingress-path", "IngressPath");
        map.Choice("path-type", "PathType", ["Prefix", "Exact", "ImplementationSpecific"]);
        map.Text("ingress-class", "IngressClass");
        map.Text("tls-secret", "TlsSecret");
        map.Switch("host-port", "HostPort");
        map.Switch("force", "Force");
        map.Switch("wait", "Wait");
        map.Switch("verify", "Verify");
        if (parsed.Value("timeout") is { } timeout)
        {
            map.Parameters["TimeoutSec"] = (int)Math.Ceiling(Durations.ToSeconds(timeout, "timeout"));
            map.FlagNames["TimeoutSec"] = "--timeout";
        }

        map.Choice("type", "Type", ["ClusterIP", "NodePort", "LoadBalancer", "ExternalName", "Headless"]);
        if (parsed.Value("cluster-ip") is { } clusterIp)
        {
            // kubectl's way to ask for a headless Service; the cmdlet spells it -Type Headless.
            if (!clusterIp.Equals("None", StringComparison.OrdinalIgnoreCase))
            {
                throw new UsageException($"--cluster-ip accepts only \"None\" (a headless Service); the cluster assigns ClusterIPs, got \"{clusterIp}\"");
            }

            if (map.Parameters.TryGetValue("Type", out var type) && !Equals(type, "ClusterIP") && !Equals(type, "Headless"))
            {
                throw new UsageException($"--cluster-ip None makes a headless ClusterIP Service; it cannot be combined with --type {type}");
            }

            map.Parameters["Type"] = "Headless";
            map.FlagNames["Type"] = "--cluster-ip";
        }

        if (parsed.Value("labels") is { } labels)
        {
            map.Parameters["Label"] = Pairs(labels.Split(',', StringSplitOptions.RemoveEmptyEntries), '=', "labels");
            map.FlagNames["Label"] = "--labels";
        }

        if (parsed.RawValues("annotation").Count > 0)
        {
            map.Parameters["Annotation"] = Pairs(parsed.RawValues("annotation"), '=', "annotation");
            map.FlagNames["Annotation"] = "--annotation";
        }

        switch (parsed.Value("dry-run"))
        {
            case null or "none":
                break;
            case "client":
                map.Parameters["DryRun"] = "Client";
                break;
            case "server":
                map.Parameters["DryRun"] = "Server";
                break;
            case var other:
                throw new UsageException($"Invalid dry-run value ({other}). Must be \"none\", \"server\", or \"client\".");
        }

        map.FlagNames["DryRun"] = "--dry-run";

        // kubectl expose -o yaml|json prints the objects it writes: the cmdlet's manifests (YAML; JSON is converted).
        if (output is OutputFormat.Yaml or OutputFormat.Json)
        {
            map.Parameters["AsYaml"] = true;
        }
    }

    private static FailOn MapReach(ParsedArguments parsed, Mapping map)
    {
        var names = parsed.Positionals.Select(ServiceName).ToArray();
        if (parsed.Switch("all-namespaces"))
        {
            map.Parameters["AllNamespaces"] = true;
            map.FlagNames["AllNamespaces"] = "-A";
        }
        else if (names.Length == 0)
        {
            throw new UsageException("reach needs a Service (svc/NAME) or -A for every Service");
        }

        if (names.Length > 0)
        {
            map.Parameters["Name"] = names;
            map.FlagNames["Name"] = "svc/NAME";
        }

        map.Choice("vantage", "Vantage", ["Pod", "Node", "External", "Operator"], list: true);
        map.Choice("status", "Status", ["Ready", "Degraded", "Broken", "Pending", "Unknown"], list: true);
        return parsed.Value("fail-on") switch
        {
            null => FailOn.Never,
            "broken" => FailOn.Broken,
            "degraded" => FailOn.Degraded,
            var other => throw new UsageException($"invalid argument \"{other}\" for \"--fail-on\" flag: broken or degraded"),
        };
    }

    private static string ServiceName(string positional)
    {
        var slash = positional.IndexOf('/');
        if (slash < 0)
        {
            return positional;
        }

        var kind = positional[..slash].ToLowerInvariant();
        if (kind is not ("svc" or "service" or "services"))
        {
            throw new UsageException($"reach looks at Services: write svc/NAME, not {positional} (expose the workload first: kubectl expose2 {positional})");
        }

        return positional[(slash + 1)..];
    }

    private static void MapTunnel(ParsedArguments parsed, Mapping map)
    {
        if (parsed.Positionals.Count < 2)
        {
            throw new UsageException("tunnel needs TYPE/NAME and at least one port: kubectl expose2 tunnel svc/web 8080:80");
        }

        map.Parameters["Target"] = parsed.Positionals[0];
        map.Parameters["Port"] = parsed.Positionals.Skip(1).ToArray();
        map.FlagNames["Port"] = "[LOCAL:]REMOTE";
        map.List("address", "Address");
    }

    private static void MapProxy(ParsedArguments parsed, Mapping map)
    {
        if (parsed.Positionals.Count > 0)
        {
            throw new UsageException($"proxy takes no arguments, got: {string.Join(" ", parsed.Positionals)}");
        }

        map.Parameters["ApiProxy"] = true;
        if (parsed.Value("port") is { } port)
        {
            map.Parameters["Port"] = new[] { port };
            map.FlagNames["Port"] = "--port";
        }

        map.List("address", "Address");
        map.Text("accept-hosts", "AcceptHosts");
        map.Text("accept-paths", "AcceptPaths");
        map.Text("reject-paths", "RejectPaths");
        map.Text("reject-methods", "RejectMethods");
        map.Text("api-prefix", "ApiPrefix");
        map.Switch("allow-remote-access", "AllowRemoteAccess");
        map.Text("service", "Service");
    }

    private static void MapTest(ParsedArguments parsed, Mapping map)
    {
        if (parsed.Positionals.Count == 0)
        {
            throw new UsageException("test needs at least one URL or HOST:PORT");
        }

        map.Parameters["InputObject"] = parsed.Positionals.ToArray();
        map.FlagNames["InputObject"] = "URL|HOST:PORT";
        map.Text("method", "Method");
        if (parsed.RawValues("header").Count > 0)
        {
            map.Parameters["Header"] = Pairs(parsed.RawValues("header"), ':', "header");
            map.FlagNames["Header"] = "--header";
        }

        map.Text("host-header", "HostHeader");
        map.Ports("expect-status", "ExpectStatusCode");
        map.Text("expect-content", "ExpectContent");
        map.Switch("insecure-skip-tls-verify", "SkipCertificateCheck");
        map.Text("send", "Send");
        map.Integer("retries", "RetryCount");
        map.Integer("count", "Count");
        map.Integer("parallel", "ThrottleLimit");
        map.Seconds("retry-interval", "RetryIntervalSec");
        map.Seconds("timeout", "TimeoutSec");
        map.Choice("through", "Through", ["Direct", "ApiServer"]);
        map.Switch("quiet", "Quiet");
    }

    private static Hashtable Pairs(IEnumerable<string> items, char separator, string flag)
    {
        var table = new Hashtable(StringComparer.Ordinal);
        foreach (var item in items)
        {
            var at = item.IndexOf(separator);
            if (at <= 0)
            {
                throw new UsageException($"invalid argument \"{item}\" for \"--{flag}\" flag: expected KEY{separator}VALUE");
            }

            table[item[..at].Trim()] = item[(at + 1)..].Trim();
        }

        return table;
    }

    /// <summary>Copies one flag's value into one cmdlet parameter, in the cmdlet's type, remembering which flag it was.</summary>
    private sealed class Mapping(ParsedArguments parsed, Dictionary<string, object> parameters, Dictionary<string, string> flagNames)
    {
        public Dictionary<string, object> Parameters => parameters;

        public Dictionary<string, string> FlagNames => flagNames;

        public void Text(string flag, string parameter)
        {
            if (parsed.Value(flag) is { } value)
            {
                Set(parameter, value, flag);
            }
        }

        public void List(string flag, string parameter)
        {
            if (parsed.Values(flag) is { Count: > 0 } values)
            {
                var all = parameters.TryGetValue(parameter, out var existing) ? [.. (string[])existing, .. values] : values.ToArray();
                Set(parameter, all, flag);
            }
        }

        public void Switch(string flag, string parameter)
        {
            if (parsed.Has(flag))
            {
                Set(parameter, parsed.Switch(flag), flag);
            }
        }

        public void Ports(string flag, string parameter)
        {
            if (parsed.Values(flag) is { Count: > 0 } values)
            {
                Set(parameter, values.Select(v => Number(v, flag)).ToArray(), flag);
            }
        }

        public void Integer(string flag, string parameter)
        {
            if (parsed.Value(flag) is { } value)
            {
                Set(parameter, Number(value, flag), flag);
            }
        }

        public void Seconds(string flag, string parameter)
        {
            if (parsed.Value(flag) is { } value)
            {
                Set(parameter, Durations.ToSeconds(value, flag), flag);
            }
        }

        /// <summary>A value from a fixed set, matched case-insensitively and passed in the cmdlet's spelling.</summary>
        public void Choice(string flag, string parameter, string[] allowed, bool list = false)
        {
            var values = list ? parsed.Values(flag) : parsed.Value(flag) is { } one ? [one] : [];
            if (values.Count == 0)
            {
                return;
            }

            var chosen = values.Select(v => allowed.FirstOrDefault(a => a.Equals(v, StringComparison.OrdinalIgnoreCase))
                ?? throw new UsageException($"invalid argument \"{v}\" for \"--{flag}\" flag: one of {string.Join(", ", allowed)}")).ToArray();
            Set(parameter, list ? chosen : chosen[0], flag);
        }

        private void Set(string parameter, object value, string flag)
        {
            parameters[parameter] = value;
            flagNames[parameter] = "--" + flag;
        }

        private static int Number(string value, string flag) =>
            int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
                ? n
                : throw new UsageException($"invalid argument \"{value}\" for \"--{flag}\" flag: not a whole number");
    }
}
