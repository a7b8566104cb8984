using System.Management.Automation;
using KubeExpose.Plugin.Output;
using Xunit;

namespace KubeExpose.Plugin.Tests;

public class OutputTests
{
    [Fact]
    public void Tables_look_like_kubectl_get()
    {
        var text = TableWriter.Write(["Service", "Service Port", "Status"],
            [["web", "http", "Ready"], ["backend-api", "8080", "Broken"]], noHeaders: false);
        Assert.Equal(
            "SERVICE       SERVICE-PORT   STATUS\n" +
            "web           http           Ready\n" +
            "backend-api   8080           Broken\n", text);
    }

    [Fact]
    public void No_headers_drops_the_header_line_only()
    {
        var text = TableWriter.Write(["Name"], [["a"], ["b"]], noHeaders: true);
        Assert.Equal("a\nb\n", text);
    }

    [Theory]
    [InlineData("ServicePort", "SERVICE-PORT")]
    [InlineData("Node Port", "NODE-PORT")]
    [InlineData("URL", "URL")]
    public void Headers_are_uppercase_with_dashes(string label, string header) => Assert.Equal(header, TableWriter.Header(label));

    [Fact]
    public void Empty_cells_read_none_and_lists_are_joined()
    {
        Assert.Equal("<none>", TableBuilder.Text(null));
        Assert.Equal("<none>", TableBuilder.Text(""));
        Assert.Equal("a,b", TableBuilder.Text(new[] { "a", "b" }));
        Assert.Equal("one; two", TableBuilder.Text("one\ntwo"));
    }

    private sealed record Sample(string Name, int Port, DayOfWeek Day, string? Missing, IReadOnlyList<Inner> Items);

    private sealed record Inner(string Code, bool Ready);

    [Fact]
    public void Json_has_the_objects_real_fields_camel_cased_and_typed()
    {
        var tree = ObjectTree.From(PSObject.AsPSObject(new Sample("web", 80, DayOfWeek.Monday, null, [new Inner("KE2001", false)])));
        Assert.Equal("""
            {
              "name": "web",
              "port": 80,
              "day": "Monday",
              "missing": null,
              "items": [
                {
                  "code": "KE2001",
                  "ready": false
                }
              ]
            }

            """.Replace("\r", "", StringComparison.Ordinal), TreeWriters.Json(tree));
    }

    [Fact]
    public void Yaml_keeps_strings_that_look_like_numbers_quoted()
    {
        var tree = ObjectTree.From(PSObject.AsPSObject(new Sample("80", 80, DayOfWeek.Friday, "true", [])));
        Assert.Equal("""
            name: "80"
            port: 80
            day: Friday
            missing: "true"
            items: []

            """.Replace("\r", "", StringComparison.Ordinal), TreeWriters.Yaml(tree));
    }

    [Fact]
    public void Manifests_convert_from_yaml_to_typed_json()
    {
        var docs = YamlDocuments.Read("""
            apiVersion: v1
            kind: Service
            metadata:
              name: web
              labels:
                version: "2"
            spec:
              ports:
              - port: 80
                targetPort: http
            ---
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            """);
        Assert.Equal(2, docs.Count);
        var json = TreeWriters.Json(docs[0]);
        Assert.Contains("\"port\": 80,", json, StringComparison.Ordinal);
        Assert.Contains("\"version\": \"2\"", json, StringComparison.Ordinal);
        Assert.Contains("\"targetPort\": \"http\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void The_module_route_view_is_read_from_its_format_file()
    {
        var views = FormatViews.Load(Path.Combine(RepoPaths.Root, "src", "KubeExpose"));
        var table = views.TableFor(["KubeExpose.Core.Model.Route"]);
        Assert.NotNull(table);
        Assert.Equal(["Service", "Port", "Vantage", "Kind", "Address", "Status", "Finding"], table.Select(c => c.Header));
        Assert.Equal("ServicePort", table[1].Property);
        Assert.NotNull(table[4].Script);
        Assert.Contains(views.ListFor(["KubeExpose.Core.Model.Route"])!, c => c.Header == "Backends");
        Assert.Null(views.TableFor(["System.Object"]));
    }

    [Fact]
    public void Tunnel_lines_read_like_kubectl_port_forward()
    {
        var tunnel = new PSObject();
        tunnel.Properties.Add(new PSNoteProperty("Id", 3));
        tunnel.Properties.Add(new PSNoteProperty("Url", "http://127.0.0.1:8080/"));
        tunnel.Properties.Add(new PSNoteProperty("Address", new[] { "127.0.0.1", "::1" }));
        tunnel.Properties.Add(new PSNoteProperty("Ports", new[] { "8080:80" }));
        Assert.Equal(["Forwarding from 127.0.0.1:8080 -> 80", "Forwarding from [::1]:8080 -> 80"], TunnelLines.Forwarding(tunnel));
        Assert.Equal("Tunnel 3 ready at http://127.0.0.1:8080/. Press Ctrl+C to stop.", TunnelLines.Ready(tunnel));
        Assert.Equal("Starting to serve on 127.0.0.1:8080", TunnelLines.Serving(tunnel));
    }
}
