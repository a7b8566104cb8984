using System.Management.Automation;
using Xunit;

namespace KubeExpose.Tests;

/// <summary>
/// Expose-Workload without a cluster: parameter validation and the errors raised before anything is read or sent.
/// Everything that needs a workload runs in the E2E suite (ExposeE2ETests).
/// </summary>
public sealed class ExposeWorkloadTests
{
    private static ErrorRecord SingleError(string script)
    {
        using var host = new ModuleHost();
        var result = host.Run(script);
        Assert.Null(result.Exception);
        Assert.Empty(result.Output);
        return Assert.Single(result.Errors);
    }

    [Theory]
    [InlineData("cronjob/nightly", "UnsupportedWorkloadKind")]
    [InlineData("web", "InvalidWorkloadReference")]
    [InlineData("deploy/", "InvalidWorkloadReference")]
    public void Bad_target_is_an_invalid_argument_error_naming_it(string target, string id)
    {
        var error = SingleError($"Expose-Workload '{target}' -KubeConfig '{MissingKubeConfig}'");
        Assert.Equal($"{id},KubeExpose.Commands.PublishWorkloadCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Equal(target, error.TargetObject);
        Assert.Contains("deploy", error.Exception.Message);
    }

    [Theory]
    [InlineData("-Port 0")]
    [InlineData("-Port 65536")]
    [InlineData("-Type Ingress")]
    [InlineData("-Protocol HTTP")]
    [InlineData("-PathType Regex")]
    [InlineData("-DryRun Always")]
    [InlineData("-SessionAffinityTimeoutSeconds 0")]
    [InlineData("-ExternalTrafficPolicy Remote")]
    public void Out_of_range_or_unknown_values_are_refused_at_binding(string parameters)
    {
        using var host = new ModuleHost();
        var result = host.Run($"Expose-Workload deploy/web {parameters}");
        Assert.Empty(result.Output);
        var error = Assert.Single(result.Errors);
        Assert.StartsWith("ParameterArgumentValidationError", error.FullyQualifiedErrorId);
    }

    [Fact]
    public void Kind_and_Name_accept_only_exposable_kinds()
    {
        using var host = new ModuleHost();
        var result = host.Run("Publish-Workload -Kind CronJob -Name nightly");
        var error = Assert.Single(result.Errors);
        Assert.StartsWith("ParameterArgumentValidationError", error.FullyQualifiedErrorId);
    }

    [Fact]
    public void Missing_kubeconfig_is_a_configuration_error()
    {
        var error = SingleError($"Expose-Workload deploy/web -DryRun Client -KubeConfig '{MissingKubeConfig}'");
        Assert.StartsWith("KubeConfigNotFound", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidData, error.CategoryInfo.Category);
    }

    [Fact]
    public void Unreachable_api_server_is_a_connection_error_naming_the_workload()
    {
        var kubeconfig = Path.GetTempFileName();
        File.WriteAllText(kubeconfig, """
            apiVersion: v1
            kind: Config
            clusters:
            - name: nowhere
              cluster: {server: "https://127.0.0.1:1", insecure-skip-tls-verify: true}
            users:
            - name: nobody
              user: {token: x}
            contexts:
            - name: nowhere
              context: {cluster: nowhere, user: nobody, namespace: shop}
            current-context: nowhere
            """);
        try
        {
            var error = SingleError($"Expose-Workload deploy/web -DryRun Client -KubeConfig '{kubeconfig}'");
            Assert.StartsWith("ApiUnreachable", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ConnectionError, error.CategoryInfo.Category);
            Assert.Contains("deployments.apps/web", error.Exception.Message);
        }
        finally
        {
            File.Delete(kubeconfig);
        }
    }

    [Fact]
    public void Label_with_null_value_is_refused()
    {
        var error = SingleError($"Expose-Workload deploy/web -Label @{{app = $null}} -KubeConfig '{MissingKubeConfig}'");
        Assert.StartsWith("NullLabelValue", error.FullyQualifiedErrorId);
        Assert.Equal("app", error.TargetObject);
    }

    [Fact]
    public void Pipeline_object_that_is_not_a_workload_is_refused()
    {
        var error = SingleError($"[pscustomobject]@{{ kind = 'ConfigMap'; metadata = @{{ name = 'x' }} }} | Expose-Workload -KubeConfig '{MissingKubeConfig}'");
        Assert.StartsWith("UnsupportedInputObject", error.FullyQualifiedErrorId);
        Assert.Contains("ConvertFrom-Json", error.Exception.Message);
    }

    [Fact]
    public void Supports_WhatIf_Confirm_and_declares_its_output()
    {
        using var host = new ModuleHost();
        var result = host.Run("""
            $c = Get-Command Publish-Workload
            $c.Parameters.ContainsKey('WhatIf'); $c.Parameters.ContainsKey('Confirm'); $c.OutputType.Name
            """).AssertSuccess();
        Assert.Equal(["True", "True", "KubeExpose.Core.Exposure.ExposureResult"], result.Output.Select(o => o.ToString()));
    }

    [Fact]
    public void Result_view_loads_and_selects_the_result_type_name()
    {
        // The test host has no Microsoft.PowerShell.Utility (no Format-List/Out-String), so the view is checked by
        // loading it into a FormatTable (which rejects malformed views and script blocks) and by what it selects.
        using var host = new ModuleHost();
        var result = host.Run("""
            $file = (Get-Module KubeExpose).ExportedFormatFiles | Where-Object { $_ -like '*ExposureResult.format.ps1xml' }
            $null = [System.Management.Automation.Runspaces.FormatTable]::new([string[]]@($file))
            ([xml][System.IO.File]::ReadAllText($file)).Configuration.ViewDefinitions.View | ForEach-Object { $_.ViewSelectedBy.TypeName }
            """).AssertSuccess();
        Assert.Equal(["KubeExpose.Exposure", "KubeExpose.Exposure"], result.Output.Select(o => o.ToString()));
    }

    [Fact]
    public void TimeoutSeconds_as_issue_6_writes_it_is_an_alias_of_TimeoutSec()
    {
        using var host = new ModuleHost();
        var result = host.Run("""
            (Get-Command Publish-Workload).Parameters['TimeoutSec'].Aliases
            (Get-Command Publish-Workload).Parameters['TimeoutSec'].ParameterType.Name
            """).AssertSuccess();
        Assert.Equal(["TimeoutSeconds", "Int32"], result.Output.Select(o => o.ToString()));

        // Bound by the alias, the value is validated as -TimeoutSec's.
        var error = SingleError($"Expose-Workload deploy/web -Wait -TimeoutSeconds 0 -KubeConfig '{MissingKubeConfig}'");
        Assert.StartsWith("ParameterArgumentValidationError", error.FullyQualifiedErrorId);
        Assert.Contains("TimeoutSec", error.Exception.Message);
    }

    [Fact]
    public void The_result_type_has_Applied_and_the_probe_results_of_Verify()
    {
        using var host = new ModuleHost();
        var result = host.Run("""
            $type = (Get-Command Publish-Workload).OutputType[0].Type
            $type.GetProperty('Applied').PropertyType.Name
            $type.GetProperty('Verification').PropertyType.GetGenericArguments()[0].FullName
            """).AssertSuccess();
        Assert.Equal(["Boolean", "KubeExpose.Core.Probing.EndpointTestResult"], result.Output.Select(o => o.ToString()));
    }

    private static string MissingKubeConfig => Path.Combine(Path.GetTempPath(), "kubeexpose-no-such-kubeconfig.yaml");
}
