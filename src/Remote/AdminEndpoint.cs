using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Decentral.Remote;

/// <summary>
/// The per-process admin endpoint: a minimal API on Kestrel bound to 127.0.0.1 only (fault control must
/// never face the network). Routes: GET /status, GET /summary, POST /shutdown, POST /fault/{kind} with
/// kind blackhole | passthrough | partition | heal | delay | drop | crash | restart.
/// </summary>
internal sealed class AdminEndpoint : IAsyncDisposable
{
    private readonly WebApplication _app;

    private AdminEndpoint(WebApplication app) => _app = app;

    /// <exception cref="IOException">The port is in use (the message names it).</exception>
    public static async Task<AdminEndpoint> StartAsync(int port, NodeHost host, ILoggerProvider logs, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(logs);

        // The node handles Ctrl-C and SIGTERM itself (System.CommandLine's token); the web host must not.
        builder.Services.AddSingleton<IHostLifetime, QuietLifetime>();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        Map(app, host);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw new IOException($"Cannot serve the admin endpoint on {RemoteOptions.AdminHost}:{port}: port {port} is already in use or not available ({e.Message}).", e);
        }

        return new AdminEndpoint(app);
    }

    public async ValueTask DisposeAsync()
    {
        using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await _app.StopAsync(bounded.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private static void Map(WebApplication app, NodeHost host)
    {
        var json = AdminJson.Options;
        app.MapGet("/status", () => Results.Json(host.Status(), json));
        app.MapGet("/summary", () => Results.Json(host.Summary(), json));
        app.MapPost("/shutdown", () =>
        {
            host.RequestShutdown();
            return Results.Json(new FaultResponse(true, "shutting down"), json);
        });
        app.MapPost("/fault/{kind}", (string kind, HttpRequest request) =>
        {
            try
            {
                var message = host.ApplyFault(kind, FaultRequest.From(request.Query));
                return Results.Json(new FaultResponse(true, message), json);
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException)
            {
                return Results.Json(new FaultResponse(false, ConfigurationText(e.Message)), json, statusCode: StatusCodes.Status400BadRequest);
            }
        });
    }

    private static string ConfigurationText(string message) => Configuration.ConfigReader.FirstSentence(message);

    /// <summary>No console lifetime: signals belong to the node, which stops the endpoint itself.</summary>
    private sealed class QuietLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

/// <summary>The body of every fault and shutdown response.</summary>
public sealed record FaultResponse(bool Ok, string Message);

/// <summary>
/// The query of a fault request: <c>to</c> (peer clusters, repeatable; none = all), <c>groups</c>
/// (repeatable, comma-separated cluster names), <c>target</c> (a node "c1/n2" or the cluster),
/// <c>ms</c> (delay) and <c>p</c> (drop probability).
/// </summary>
internal sealed record FaultRequest(IReadOnlyList<string> To, IReadOnlyList<IReadOnlyList<string>> Groups, string? Target, double? Milliseconds, double? Probability)
{
    public static FaultRequest From(IQueryCollection query)
    {
        var to = query["to"].SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
        var groups = query["groups"].Select(v => (IReadOnlyList<string>)(v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
        return new FaultRequest(to, groups, query["target"].FirstOrDefault(), Number(query, "ms"), Number(query, "p"));
    }

    private static double? Number(IQueryCollection query, string key)
    {
        var text = query[key].FirstOrDefault();
        if (text is null)
        {
            return null;
        }

        return double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : throw new FormatException($"'{key}={text}' is not a number.");
    }
}
