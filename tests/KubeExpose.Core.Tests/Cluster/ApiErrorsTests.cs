using System.Net;
using k8s.Autorest;
using KubeExpose.Core;
using KubeExpose.Core.Cluster;
using Xunit;

namespace KubeExpose.Core.Tests.Cluster;

public sealed class ApiErrorsTests
{
    private static HttpOperationException Http(HttpStatusCode status, string body = "") => new("x")
    {
        Response = new HttpResponseMessageWrapper(new HttpResponseMessage(status), body),
    };

    [Fact]
    public void Forbidden_names_the_verb_and_resource_to_grant()
    {
        var error = (KubeExposeException)ApiErrors.Map(
            Http(HttpStatusCode.Forbidden, """{"message":"services is forbidden: User \"viewer\" cannot create"}"""),
            "create", "services", "prod", "web");
        Assert.Equal(KubeExposeErrorKind.PermissionDenied, error.Kind);
        Assert.Contains("cannot create services in namespace prod", error.Message);
        Assert.Contains("User \"viewer\" cannot create", error.Message);
        Assert.Equal("services/web in namespace prod", error.Target);
    }

    [Fact]
    public void Not_found_and_conflict_map_to_their_kinds()
    {
        Assert.Equal(KubeExposeErrorKind.NotFound, ((KubeExposeException)ApiErrors.Map(Http(HttpStatusCode.NotFound), "get", "services", "a", "b")).Kind);
        Assert.Equal(KubeExposeErrorKind.Conflict, ((KubeExposeException)ApiErrors.Map(Http(HttpStatusCode.Conflict), "patch", "services", "a", "b")).Kind);
        Assert.Equal(KubeExposeErrorKind.InvalidArgument, ((KubeExposeException)ApiErrors.Map(Http(HttpStatusCode.UnprocessableEntity), "patch", "services", "a", "b")).Kind);
    }

    [Fact]
    public void Connection_failures_say_the_server_cannot_be_reached()
    {
        var error = (KubeExposeException)ApiErrors.Map(new HttpRequestException("Connection refused (127.0.0.1:1)"), "list", "services", "a");
        Assert.Equal(KubeExposeErrorKind.Connection, error.Kind);
        Assert.Contains("Connection refused", error.Message);
    }
}
