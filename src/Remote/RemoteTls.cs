using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Decentral.Hocon;
using Decentral.Configuration;

namespace Decentral.Remote;

/// <summary>
/// <c>decentral.remote.tls</c> as read from the configuration: the deployment's certificate (a PKCS#12
/// file with its private key, every process of the deployment uses it), the environment variable that
/// holds its password, and further peer certificates to accept (SHA-1 thumbprints, e.g. while rotating).
/// The file is opened by <see cref="RemoteTls.Load"/>, only by the commands that start actor systems.
/// </summary>
public sealed record TlsOptions(string CertificatePath, ConfigOrigin? CertificateOrigin, string? PasswordEnv, IReadOnlyList<string> TrustedThumbprints)
{
    public const string Section = "decentral.remote.tls";

    public const string CertificateKey = Section + ".certificate";

    public const string PasswordEnvKey = Section + ".password-env";

    public const string TrustedThumbprintsKey = Section + ".trusted-thumbprints";

    /// <summary>The password-env default, also what `decentral cert` reads.</summary>
    public const string DefaultPasswordEnv = "DECENTRAL_TLS_PASSWORD";
}

/// <summary>The deployment's certificate, opened, and the thumbprints a peer's certificate must have.</summary>
public sealed record TlsMaterial(X509Certificate2 Certificate, IReadOnlyList<string> PinnedThumbprints);

/// <summary>Opening, checking and making the certificates of Akka.Remote's TLS transport.</summary>
public static class RemoteTls
{
    /// <summary>
    /// Opens the certificate of <paramref name="options"/> with the password from its environment variable
    /// (none when the variable is unset) and checks that it can serve TLS: a private key, within its
    /// validity period. The pinned thumbprints are its own plus the trusted ones.
    /// </summary>
    /// <exception cref="ConfigurationException">Missing or unreadable file, wrong password, no private key, expired (naming the key).</exception>
    public static TlsMaterial Load(TlsOptions options, Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        environment ??= Environment.GetEnvironmentVariable;
        var path = options.CertificatePath;
        ConfigurationException Fail(string problem) =>
            new(new ConfigurationError(TlsOptions.CertificateKey, options.CertificateOrigin, problem));

        if (!File.Exists(path))
        {
            throw Fail($"certificate file '{path}' not found (write a development certificate with `decentral cert --out FILE`)");
        }

        var password = options.PasswordEnv is { Length: > 0 } variable ? environment(variable) : null;
        var passwordSource = options.PasswordEnv is { Length: > 0 } v
            ? password is null ? $"environment variable {v} is not set" : $"password from environment variable {v}"
            : $"no password: {TlsOptions.PasswordEnvKey} is null";
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(path, password, X509KeyStorageFlags.DefaultKeySet);
        }
        catch (CryptographicException e)
        {
            throw Fail(IsPkcs12(path)
                ? $"cannot open certificate file '{path}': wrong password ({passwordSource})"
                : $"'{path}' is not a PKCS#12 (.pfx) file with a certificate and its private key ({FirstLine(e.Message)})");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Fail($"cannot read certificate file '{path}': {e.Message}");
        }

        if (!certificate.HasPrivateKey)
        {
            certificate.Dispose();
            throw Fail($"certificate file '{path}' holds no private key; TLS needs the certificate together with its key (PKCS#12)");
        }

        var now = DateTime.Now;
        if (now < certificate.NotBefore || now > certificate.NotAfter)
        {
            var window = string.Create(CultureInfo.InvariantCulture, $"{certificate.NotBefore:u} to {certificate.NotAfter:u}");
            certificate.Dispose();
            throw Fail($"certificate in '{path}' is not valid now (valid from {window})");
        }

        var pinned = new List<string> { Normalize(certificate.Thumbprint) };
        pinned.AddRange(options.TrustedThumbprints.Select(Normalize).Where(t => !pinned.Contains(t)));
        return new TlsMaterial(certificate, pinned);
    }

    /// <summary>A thumbprint as X509Certificate2.Thumbprint spells it: upper-case hex, no separators.</summary>
    public static string Normalize(string thumbprint)
    {
        ArgumentNullException.ThrowIfNull(thumbprint);
        return new string([.. thumbprint.Where(char.IsAsciiHexDigit).Select(char.ToUpperInvariant)]);
    }

    /// <summary>Whether <paramref name="text"/> is a SHA-1 thumbprint (40 hex digits, optionally separated by ':' or spaces).</summary>
    public static bool IsThumbprint(string text) =>
        text is not null && text.All(c => char.IsAsciiHexDigit(c) || c is ':' or ' ') && Normalize(text).Length == 40;

    /// <summary>
    /// A self-signed certificate for development and tests: RSA 2048, SHA-256, valid for
    /// <paramref name="days"/> days from yesterday, usable as TLS server and client (mutual TLS), with
    /// localhost and 127.0.0.1 as subject alternative names. Exported as PKCS#12 with
    /// <paramref name="password"/> (null: none).
    /// </summary>
    public static byte[] CreateDevelopmentPfx(string subjectName, int days, string? password)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(subjectName);
        ArgumentOutOfRangeException.ThrowIfLessThan(days, 1);
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(new X500DistinguishedName("CN=" + subjectName), key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1", "Server Authentication"), new Oid("1.3.6.1.5.5.7.3.2", "Client Authentication")], false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var from = DateTimeOffset.UtcNow.AddDays(-1);
        using var certificate = request.CreateSelfSigned(from, from.AddDays(days + 1));
        return certificate.Export(X509ContentType.Pkcs12, password);
    }

    private static bool IsPkcs12(string path)
    {
        try
        {
            return X509Certificate2.GetCertContentType(path) == X509ContentType.Pkcs12;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private static string FirstLine(string message)
    {
        var newline = message.IndexOfAny(['\r', '\n']);
        return (newline < 0 ? message : message[..newline]).TrimEnd('.');
    }
}
