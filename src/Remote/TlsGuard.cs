using System.Diagnostics;
using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Event;
using Akka.Remote.Transport.DotNetty;
using Microsoft.Extensions.Logging;

namespace Decentral.Remote;

/// <summary>
/// The TLS side of one process's actor system(s): the <see cref="DotNettySslSetup"/> Akka.Remote's DotNetty
/// transport uses (the deployment's certificate, mutual TLS, a peer accepted only when its certificate's
/// thumbprint is pinned), and what it refused. A refused peer gets no association, so nothing it sends is
/// delivered; each refusal is counted and the first is logged, further ones at most once a minute.
/// <para>
/// Two counters: <see cref="CertificatesRejected"/> counts peer certificates that failed the pin (either
/// direction, from the validation callback); <see cref="ConnectionsRefused"/> counts incoming connections
/// Akka closed because their TLS handshake failed for any reason (a wrong or missing certificate, random
/// bytes, plaintext Akka.Remote), read from Akka's warning about it (needs akka.loglevel WARNING or lower).
/// </para>
/// </summary>
public sealed class TlsGuard
{
    /// <summary>How often a repeated refusal is logged again.</summary>
    public static readonly TimeSpan LogInterval = TimeSpan.FromMinutes(1);

    private readonly ILogger _log;
    private readonly CertificateValidationCallback _pinned;
    private readonly Lock _gate = new();
    private long _certificatesRejected;
    private long _connectionsRefused;
    private long _lastLogged = long.MinValue;
    private long _unlogged;

    public TlsGuard(TlsMaterial material, ILogger log)
    {
        ArgumentNullException.ThrowIfNull(material);
        ArgumentNullException.ThrowIfNull(log);
        Material = material;
        _log = log;
        _pinned = CertificateValidation.PinnedCertificate([.. material.PinnedThumbprints]);
    }

    public TlsMaterial Material { get; }

    /// <summary>Peer certificates refused because their thumbprint is not pinned (or no certificate was presented).</summary>
    public long CertificatesRejected => Interlocked.Read(ref _certificatesRejected);

    /// <summary>Incoming connections Akka closed after a failed TLS handshake.</summary>
    public long ConnectionsRefused => Interlocked.Read(ref _connectionsRefused);

    /// <summary>The setup to pass in <see cref="ActorSystemSetup"/> next to the configuration (which must say enable-ssl = true).</summary>
    public DotNettySslSetup SslSetup() =>
        new(Material.Certificate, suppressValidation: false, requireMutualAuthentication: true, customValidator: Validate);

    /// <summary>An actor system setup holding <see cref="SslSetup"/>.</summary>
    public ActorSystemSetup Setup() => ActorSystemSetup.Create(SslSetup());

    /// <summary>Counts <paramref name="system"/>'s refused incoming TLS connections (Akka's warning about each).</summary>
    public void Attach(ActorSystem system)
    {
        ArgumentNullException.ThrowIfNull(system);
        var listener = system.ActorOf(Props.Create(() => new RefusalListener(this)), "tls-guard");
        system.EventStream.Subscribe(listener, typeof(Warning));
    }

    private bool Validate(
        System.Security.Cryptography.X509Certificates.X509Certificate2? certificate,
        System.Security.Cryptography.X509Certificates.X509Chain? chain,
        string remotePeer,
        System.Net.Security.SslPolicyErrors errors,
        ILoggingAdapter log)
    {
        if (_pinned(certificate!, chain!, remotePeer, errors, log))
        {
            return true;
        }

        Interlocked.Increment(ref _certificatesRejected);
        var who = certificate is null ? "no certificate" : $"certificate {certificate.Subject} (thumbprint {certificate.Thumbprint})";
        LogRefusal(remotePeer, who);
        return false;
    }

    private void LogRefusal(string peer, string what)
    {
        long unlogged;
        lock (_gate)
        {
            var now = Stopwatch.GetTimestamp();
            if (_lastLogged != long.MinValue && Stopwatch.GetElapsedTime(_lastLogged, now) < LogInterval)
            {
                _unlogged++;
                return;
            }

            unlogged = _unlogged;
            _unlogged = 0;
            _lastLogged = now;
        }

        if (unlogged == 0)
        {
            _log.LogWarning(
                "Refused a TLS connection with {Peer}: {What} is not the deployment's (decentral.remote.tls); nothing from it is delivered. Further refusals are counted in `status` and logged at most once a minute",
                peer, what);
        }
        else
        {
            _log.LogWarning(
                "Refused a TLS connection with {Peer}: {What} is not the deployment's; {Unlogged} more refusals since the last such line ({Total} in all)",
                peer, what, unlogged, CertificatesRejected);
        }
    }

    /// <summary>Akka's warning for an incoming connection whose TLS handshake failed (Akka.Remote 1.5.75's wording).</summary>
    internal static bool IsRefusal(Warning warning) =>
        warning.Message?.ToString() is { } text
        && text.StartsWith("Rejected incoming connection", StringComparison.Ordinal)
        && text.Contains("TLS handshake", StringComparison.Ordinal);

    private sealed class RefusalListener : ReceiveActor
    {
        public RefusalListener(TlsGuard guard) => Receive<Warning>(w =>
        {
            if (IsRefusal(w))
            {
                Interlocked.Increment(ref guard._connectionsRefused);
            }
        });
    }
}
