namespace KubeExpose.Core.Probing;

/// <summary>Why a probe failed, so front ends can map it to their own vocabulary (error categories, exit codes).</summary>
public enum ProbeFailureKind
{
    /// <summary>The probe succeeded (or was skipped).</summary>
    None,
    /// <summary>Nothing listens: the connection was refused.</summary>
    ConnectionRefused,
    /// <summary>The peer reset or closed the connection before answering.</summary>
    ConnectionReset,
    /// <summary>The attempt took longer than the timeout.</summary>
    Timeout,
    /// <summary>The host name does not resolve.</summary>
    NameResolution,
    /// <summary>No route to the host or network.</summary>
    Unreachable,
    /// <summary>The TLS handshake failed.</summary>
    Tls,
    /// <summary>The server certificate was rejected (untrusted, expired, wrong name). Not retried: it will not change.</summary>
    CertificateRejected,
    /// <summary>The HTTP status is not one of the expected codes.</summary>
    UnexpectedStatus,
    /// <summary>The response did not match the expected content.</summary>
    UnexpectedContent,
    /// <summary>The API server refused the caller (401/403) on an API-server proxy probe.</summary>
    Forbidden,
    /// <summary>Anything else; the message says what.</summary>
    Other,
}
