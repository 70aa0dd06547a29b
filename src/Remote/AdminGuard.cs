using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Decentral.Remote;

/// <summary>
/// Who may use an admin endpoint on 127.0.0.1: ASP.NET Core middleware that answers every request that
/// fails one of these checks itself, before any route runs.
/// <list type="bullet">
/// <item>A request with an <c>Origin</c> header is 403: browsers send one with every cross-origin and
/// every POST request, so no web page (nor a DNS-rebound one) can drive the endpoint.</item>
/// <item>A request whose <c>Host</c> is not the loopback address and port the endpoint listens on
/// (<c>127.0.0.1:PORT</c>, or <c>localhost:PORT</c>) is 403: a rebound host name never matches.</item>
/// <item>A request without <c>Authorization: Bearer TOKEN</c> of the deployment's token
/// (<see cref="AdminToken"/>) is 401: other local accounts cannot read the token file.</item>
/// </list>
/// Refusals are counted (<see cref="Unauthorized"/>, <see cref="Forbidden"/>, shown by `status`).
/// A later view with its own session can put a second authenticator beside the token
/// (<paramref name="alsoAuthorized"/>) and keep the host and origin rules.
/// </summary>
public sealed class AdminGuard
{
    private readonly int _port;
    private readonly byte[] _token;
    private readonly Func<HttpRequest, bool>? _alsoAuthorized;
    private long _unauthorized;
    private long _forbidden;

    public AdminGuard(int port, string token, Func<HttpRequest, bool>? alsoAuthorized = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(port);
        ArgumentException.ThrowIfNullOrWhiteSpace(token);
        _port = port;
        _token = Encoding.UTF8.GetBytes(token);
        _alsoAuthorized = alsoAuthorized;
    }

    /// <summary>Requests refused with 401 (no or a wrong token).</summary>
    public long Unauthorized => Interlocked.Read(ref _unauthorized);

    /// <summary>Requests refused with 403 (an Origin header, or a Host that is not this endpoint's loopback address).</summary>
    public long Forbidden => Interlocked.Read(ref _forbidden);

    /// <summary>What to answer <paramref name="request"/> instead of serving it: (status, reason), or null to serve it.</summary>
    public (int Status, string Reason)? Check(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Headers.ContainsKey("Origin"))
        {
            Interlocked.Increment(ref _forbidden);
            return (StatusCodes.Status403Forbidden, "requests with an Origin header (from a web page) are refused");
        }

        var host = request.Host;
        if (!host.HasValue || host.Port != _port || !(host.Host is RemoteOptions.AdminHost || string.Equals(host.Host, "localhost", StringComparison.OrdinalIgnoreCase)))
        {
            Interlocked.Increment(ref _forbidden);
            return (StatusCodes.Status403Forbidden, $"Host '{host}' is not this endpoint's address {RemoteOptions.AdminHost}:{_port}");
        }

        if (HasToken(request) || (_alsoAuthorized?.Invoke(request) ?? false))
        {
            return null;
        }

        Interlocked.Increment(ref _unauthorized);
        return (StatusCodes.Status401Unauthorized, $"missing or wrong admin token (Authorization: Bearer …, from {AdminToken.FileName} in the deployment's state directory)");
    }

    /// <summary>The middleware: serves a request that passes <see cref="Check"/>, answers any other with its status and reason.</summary>
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (Check(context.Request) is { } refusal)
        {
            context.Response.StatusCode = refusal.Status;
            await context.Response.WriteAsJsonAsync(new FaultResponse(false, refusal.Reason), AdminJson.Options).ConfigureAwait(false);
            return;
        }

        await next(context).ConfigureAwait(false);
    }

    private bool HasToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string bearer = "Bearer ";
        if (!header.StartsWith(bearer, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var given = Encoding.UTF8.GetBytes(header[bearer.Length..].Trim());
        return CryptographicOperations.FixedTimeEquals(given, _token);
    }
}
