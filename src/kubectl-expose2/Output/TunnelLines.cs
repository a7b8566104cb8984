using System.Collections;
using System.Management.Automation;

namespace KubeExpose.Plugin.Output;

/// <summary>
/// The lines kubectl port-forward and kubectl proxy print for a running tunnel (<c>Forwarding from 127.0.0.1:8080 -> 80</c>,
/// <c>Starting to serve on 127.0.0.1:8001</c>), read from the Tunnel object's properties.
/// </summary>
public static class TunnelLines
{
    public static IEnumerable<string> Forwarding(PSObject tunnel)
    {
        var addresses = Strings(tunnel, "LocalAddresses", "Addresses", "Address", "LocalAddress");
        if (addresses.Count == 0)
        {
            addresses = ["127.0.0.1"];
        }

        var pairs = new List<(string Local, string Remote)>();
        foreach (var name in new[] { "Ports", "Forwards", "PortMappings", "Mappings" })
        {
            if (Value(tunnel, name) is IEnumerable list and not string)
            {
                foreach (var item in list.Cast<object?>().Where(i => i is not null).Select(PSObject.AsPSObject))
                {
                    if (Value(item, "LocalPort") is { } local && Value(item, "RemotePort") is { } remote)
                    {
                        pairs.Add((local.ToString()!, remote.ToString()!));
                    }
                    else if (item.BaseObject is string text && text.Contains(':'))
                    {
                        pairs.Add((text[..text.LastIndexOf(':')], text[(text.LastIndexOf(':') + 1)..]));
                    }
                }
            }
        }

        if (pairs.Count == 0 && Value(tunnel, "LocalPort") is { } onlyLocal && Value(tunnel, "RemotePort") is { } onlyRemote)
        {
            pairs.Add((onlyLocal.ToString()!, onlyRemote.ToString()!));
        }

        if (pairs.Count == 0)
        {
            return Value(tunnel, "Url") is { } url ? [$"Forwarding from {url}"] : [];
        }

        return addresses.SelectMany(a => pairs.Select(p => $"Forwarding from {(a.Contains(':') && !a.StartsWith('[') ? $"[{a}]" : a)}:{p.Local} -> {p.Remote}"));
    }

    public static string Ready(PSObject tunnel)
    {
        var what = Value(tunnel, "Target") ?? Value(tunnel, "Name");
        var url = Value(tunnel, "Url");
        return $"Tunnel {Value(tunnel, "Id")}{(what is null ? "" : $" to {what}")} ready{(url is null ? "" : $" at {url}")}. Press Ctrl+C to stop.";
    }

    public static string Serving(PSObject tunnel)
    {
        var url = Value(tunnel, "Url")?.ToString();
        var endpoint = url is not null && Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme.StartsWith("http", StringComparison.Ordinal)
            ? uri.Authority
            : url ?? "?";
        return $"Starting to serve on {endpoint}";
    }

    private static object? Value(PSObject target, string property)
    {
        try
        {
            return target.Properties[property]?.Value is { } v ? (v is PSObject p ? p.BaseObject : v) : null;
        }
        catch (GetValueException)
        {
            return null;
        }
    }

    private static List<string> Strings(PSObject target, params string[] properties)
    {
        foreach (var property in properties)
        {
            switch (Value(target, property))
            {
                case string s when s.Length > 0:
                    return [s];
                case IEnumerable list:
                    var all = list.Cast<object?>().Where(i => i is not null).Select(i => i!.ToString()!).ToList();
                    if (all.Count > 0)
                    {
                        return all;
                    }

                    break;
            }
        }

        return [];
    }
}
