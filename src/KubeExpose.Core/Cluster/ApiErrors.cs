using System.Net;
using System.Net.Sockets;
using k8s.Autorest;

namespace KubeExpose.Core.Cluster;

/// <summary>Turns API failures into <see cref="KubeExposeException"/>s that name the verb, resource and object, and the fix.</summary>
public static class ApiErrors
{
    /// <param name="error">What the client threw.</param>
    /// <param name="verb">The API verb attempted: get, list, create, patch, delete, watch.</param>
    /// <param name="resource">The resource, plural and with its group when not core: <c>services</c>, <c>ingresses.networking.k8s.io</c>.</param>
    /// <param name="namespace">The namespace, or null for cluster-scoped or all-namespace calls.</param>
    /// <param name="name">The object name, or null for collection calls.</param>
    public static Exception Map(Exception error, string verb, string resource, string? @namespace = null, string? name = null)
    {
        if (error is KubeExposeException or OperationCanceledException)
        {
            return error;
        }

        var what = name is null ? resource : $"{resource}/{name}";
        var where = @namespace is null ? "cluster-wide" : $"in namespace {@namespace}";
        var target = $"{what} {where}";

        if (error is HttpOperationException http)
        {
            var detail = ServerMessage(http);
            return http.Response.StatusCode switch
            {
                HttpStatusCode.NotFound => new KubeExposeException(KubeExposeErrorKind.NotFound, "NotFound",
                    $"{what} was not found {where}.{detail}", target, error),
                HttpStatusCode.Forbidden => new KubeExposeException(KubeExposeErrorKind.PermissionDenied, "Forbidden",
                    $"Permission denied: cannot {verb} {resource} {where}.{detail} Ask for RBAC that grants '{verb}' on '{resource}'.",
                    target, error),
                HttpStatusCode.Unauthorized => new KubeExposeException(KubeExposeErrorKind.PermissionDenied, "Unauthorized",
                    $"The API server rejected the credentials while trying to {verb} {what}.{detail} Check the kubeconfig user.",
                    target, error),
                HttpStatusCode.Conflict => new KubeExposeException(KubeExposeErrorKind.Conflict, "Conflict",
                    $"Conflict on {what} {where}.{detail}", target, error),
                HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity => new KubeExposeException(
                    KubeExposeErrorKind.InvalidArgument, "Invalid", $"The API server refused {what} {where}.{detail}", target, error),
                _ => new KubeExposeException(KubeExposeErrorKind.InvalidOperation, "ApiError",
                    $"The API server answered {(int)http.Response.StatusCode} to {verb} {what} {where}.{detail}", target, error),
            };
        }

        if (error is HttpRequestException or SocketException or IOException)
        {
            return new KubeExposeException(KubeExposeErrorKind.Connection, "ApiUnreachable",
                $"Cannot reach the API server to {verb} {what}: {error.GetBaseException().Message}", target, error);
        }

        if (error is TimeoutException or TaskCanceledException)
        {
            return new KubeExposeException(KubeExposeErrorKind.Timeout, "ApiTimeout",
                $"The API server did not answer in time to {verb} {what}.", target, error);
        }

        return error;
    }

    private static string ServerMessage(HttpOperationException http)
    {
        var content = http.Response.Content;
        if (string.IsNullOrWhiteSpace(content))
        {
            return string.Empty;
        }

        try
        {
            using var doc = System.Text.Json.JsonDocument.Parse(content);
            if (doc.RootElement.TryGetProperty("message", out var message))
            {
                return $" Server said: {message.GetString()}.";
            }
        }
        catch (System.Text.Json.JsonException)
        {
        }

        return string.Empty;
    }
}
