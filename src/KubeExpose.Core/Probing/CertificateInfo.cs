using System.Security.Cryptography.X509Certificates;

namespace KubeExpose.Core.Probing;

/// <summary>The certificate an HTTPS server presented, and what validation thought of it.</summary>
/// <param name="Subject">The subject distinguished name.</param>
/// <param name="Issuer">The issuer distinguished name.</param>
/// <param name="NotBefore">The start of validity (UTC).</param>
/// <param name="NotAfter">The end of validity (UTC): when it expires.</param>
/// <param name="Thumbprint">The SHA-1 thumbprint, as tools print it.</param>
/// <param name="DnsNames">The DNS names of the subject alternative name extension.</param>
/// <param name="ValidationErrors">Why validation failed, or null when the certificate was trusted.</param>
public sealed record CertificateInfo(
    string Subject,
    string Issuer,
    DateTime NotBefore,
    DateTime NotAfter,
    string Thumbprint,
    IReadOnlyList<string> DnsNames,
    string? ValidationErrors)
{
    /// <summary>Whole days until the certificate expires (negative once it has).</summary>
    public int DaysUntilExpiry => (int)Math.Floor((NotAfter - DateTime.UtcNow).TotalDays);

    public static CertificateInfo From(X509Certificate certificate, string? validationErrors)
    {
        using var full = new X509Certificate2(certificate);
        var names = new List<string>();
        foreach (var extension in full.Extensions)
        {
            if (extension is X509SubjectAlternativeNameExtension san)
            {
                names.AddRange(san.EnumerateDnsNames());
            }
        }

        return new CertificateInfo(full.Subject, full.Issuer, full.NotBefore.ToUniversalTime(), full.NotAfter.ToUniversalTime(),
            full.Thumbprint, names, validationErrors);
    }

    public override string ToString() => $"{Subject} (issuer {Issuer}, expires {NotAfter:yyyy-MM-dd})";
}
