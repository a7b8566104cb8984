using System.Management.Automation;
using Xunit;

namespace KubeExpose.Tests;

/// <summary>
/// Get-ServiceReachability as a user drives it, without a cluster: parameter errors, connection errors and views.
/// The verdicts themselves are unit-tested in KubeExpose.Core.Tests and checked against a real cluster in the E2E suite.
/// </summary>
public sealed class GetServiceReachabilityTests : IDisposable
{
    private readonly ModuleHost _host = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("kx-reach-").FullName;

    public void Dispose()
    {
        _host.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    /// <summary>Runs the command and returns the one error it raised, terminating or not.</summary>
    private ErrorRecord OneError(string command)
    {
        var result = _host.Run($"try {{ {command} -ErrorAction Stop }} catch {{ $_ }}");
        Assert.Null(result.Exception);
        return Assert.IsType<ErrorRecord>(Assert.Single(result.Output).BaseObject);
    }

    [Fact]
    public void Missing_kubeconfig_file_is_an_InvalidData_error_that_names_the_file()
    {
        var error = OneError("Get-ServiceReachability web -KubeConfig /nonexistent/kubeconfig");

        Assert.StartsWith("KubeConfigNotFound,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidData, error.CategoryInfo.Category);
        Assert.Contains("'/nonexistent/kubeconfig' does not exist", error.Exception.Message);
    }

    [Fact]
    public void Unreadable_kubeconfig_is_an_InvalidData_error()
    {
        var path = Path.Combine(_dir, "broken");
        File.WriteAllText(path, "apiVersion: v1\nclusters: [ this is: not yaml\n");

        var error = OneError($"Get-ServiceReachability web -KubeConfig '{path}'");

        Assert.StartsWith("KubeConfigInvalid,", error.FullyQualifiedErrorId);
        Assert.Contains(path, error.Exception.Message);
    }

    [Fact]
    public void Unknown_context_is_an_error_that_lists_the_known_ones()
    {
        var error = OneError($"Get-ServiceReachability web -KubeConfig '{WriteKubeConfig()}' -Context nope");

        Assert.StartsWith("KubeContextNotFound,", error.FullyQualifiedErrorId);
        Assert.Contains("Context 'nope' is not in kubeconfig", error.Exception.Message);
        Assert.Contains("Known contexts: local", error.Exception.Message);
    }

    [Fact]
    public void Unreachable_API_server_is_a_ConnectionError_naming_what_was_read()
    {
        // Port 1 on loopback: nothing listens, the connection is refused at once.
        var result = _host.Run($"Get-ServiceReachability web -KubeConfig '{WriteKubeConfig()}' -Namespace shop");

        var error = Assert.Single(result.Errors);
        Assert.Equal(ErrorCategory.ConnectionError, error.CategoryInfo.Category);
        Assert.StartsWith("ApiUnreachable,", error.FullyQualifiedErrorId);
        Assert.Contains("Cannot reach the API server to list", error.Exception.Message);
        Assert.Empty(result.Output);
    }

    [Theory]
    [InlineData("-Vantage Moon", "Vantage", "Pod, Node, External, Operator")]
    [InlineData("-Status Fine", "Status", "Ready, Degraded, Broken, Pending, Unknown")]
    public void Invalid_enum_values_are_refused_before_anything_is_read_and_the_error_lists_the_valid_ones(string argument, string parameter, string valid)
    {
        var error = OneError($"Get-ServiceReachability web {argument} -KubeConfig /nonexistent/kubeconfig");

        Assert.IsAssignableFrom<ParameterBindingException>(error.Exception);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Contains($"'{parameter}'", error.Exception.Message);
        Assert.Contains(valid, error.Exception.Message);
    }

    [Fact]
    public void Empty_service_name_is_refused()
    {
        var error = OneError("Get-ServiceReachability '' -KubeConfig /nonexistent/kubeconfig");

        Assert.StartsWith("ParameterArgumentValidationError", error.FullyQualifiedErrorId);
        Assert.Contains("'Name'", error.Exception.Message);
    }

    [Fact]
    public void Name_is_required_unless_AllNamespaces_is_given()
    {
        var command = (CmdletInfo)_host.Run("Get-Command Get-ServiceReachability").AssertSuccess().Output.Single().BaseObject;

        var named = command.ParameterSets.Single(s => s.Name == "Named");
        Assert.True(named.IsDefault);
        Assert.True(named.Parameters.Single(p => p.Name == "Name").IsMandatory);
        var all = command.ParameterSets.Single(s => s.Name == "AllNamespaces");
        Assert.False(all.Parameters.Single(p => p.Name == "Name").IsMandatory);
        Assert.True(all.Parameters.Single(p => p.Name == "AllNamespaces").IsMandatory);
        Assert.Contains("A", all.Parameters.Single(p => p.Name == "AllNamespaces").Aliases);

        var error = OneError("Get-ServiceReachability -Namespace shop -KubeConfig /nonexistent/kubeconfig");
        Assert.StartsWith("MissingMandatoryParameter", error.FullyQualifiedErrorId);
    }

    [Fact]
    public void Service_names_bind_from_the_pipeline_by_property_name()
    {
        // Objects with a Service property (as Expose-Workload writes) reach the cmdlet, which then fails to connect:
        // the binding succeeded when the error is about the kubeconfig, not about parameters.
        var error = OneError("[pscustomobject]@{ Service = 'web'; Namespace = 'shop' } | Get-ServiceReachability -KubeConfig /nonexistent/kubeconfig");

        Assert.StartsWith("KubeConfigNotFound,", error.FullyQualifiedErrorId);
    }

    [Fact]
    public void Routes_have_a_table_view_and_a_list_view_loaded_with_the_module()
    {
        var formatFile = _host.Run("(Get-Module KubeExpose).ExportedFormatFiles | Where-Object { $_ -like '*Route.format.ps1xml' }")
            .AssertSuccess().Output.Single().ToString();
        var views = System.Xml.Linq.XDocument.Load(formatFile).Descendants("View")
            .Where(v => v.Element("ViewSelectedBy")?.Element("TypeName")?.Value == "KubeExpose.Core.Model.Route")
            .Select(v => v.Elements().Single(e => e.Name.LocalName.EndsWith("Control", StringComparison.Ordinal)).Name.LocalName)
            .Order(StringComparer.Ordinal);

        Assert.Equal(["ListControl", "TableControl"], views);
        var output = _host.Run("(Get-Command Get-ServiceReachability).OutputType.Name").AssertSuccess().Output.Single().ToString();
        Assert.Equal("KubeExpose.Core.Model.Route", output);
    }

    /// <summary>A well-formed kubeconfig whose one context 'local' points at a loopback port nothing listens on.</summary>
    private string WriteKubeConfig()
    {
        var path = Path.Combine(_dir, "kubeconfig");
        File.WriteAllText(path, """
            apiVersion: v1
            kind: Config
            clusters:
            - name: local
              cluster: {server: "https://127.0.0.1:1", insecure-skip-tls-verify: true}
            users:
            - name: me
              user: {token: not-a-real-token}
            contexts:
            - name: local
              context: {cluster: local, user: me, namespace: shop}
            current-context: local
            """);
        return path;
    }
}
