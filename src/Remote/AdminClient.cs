using System.Net.Http.Json;
using System.Text.Json;

namespace Decentral.Remote;

/// <summary>
/// Talks to the admin endpoints of a deployment (127.0.0.1 only, no proxy). An endpoint that does not
/// answer is "down": status and summary return null, fault posts return a failed response saying so.
/// </summary>
internal sealed class AdminClient : IDisposable
{
    private readonly HttpClient _http;

    public AdminClient(TimeSpan? timeout = null)
    {
        _http = new HttpClient(new SocketsHttpHandler { UseProxy = false, ConnectTimeout = TimeSpan.FromSeconds(2) })
        {
            Timeout = timeout ?? TimeSpan.FromSeconds(5),
        };
    }

    public async Task<ClusterStatusReport?> StatusAsync(Uri endpoint, CancellationToken cancellationToken = default)
    {
        try
        {
            return await _http.GetFromJsonAsync<ClusterStatusReport>(new Uri(endpoint, "status"), AdminJson.Options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsDown(e, cancellationToken))
        {
            return null;
        }
    }

    public async Task<ClusterSummaryReport?> SummaryAsync(Uri endpoint, CancellationToken cancellationToken = default)
    {
        try
        {
            return await _http.GetFromJsonAsync<ClusterSummaryReport>(new Uri(endpoint, "summary"), AdminJson.Options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsDown(e, cancellationToken))
        {
            return null;
        }
    }

    /// <summary>POSTs to <paramref name="pathAndQuery"/> (e.g. "fault/heal"); never throws for a down endpoint.</summary>
    public async Task<FaultResponse> PostAsync(Uri endpoint, string pathAndQuery, CancellationToken cancellationToken = default)
    {
        try
        {
            using var response = await _http.PostAsync(new Uri(endpoint, pathAndQuery), null, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadFromJsonAsync<FaultResponse>(AdminJson.Options, cancellationToken).ConfigureAwait(false);
            return body ?? new FaultResponse(false, $"HTTP {(int)response.StatusCode} without a body");
        }
        catch (Exception e) when (IsDown(e, cancellationToken))
        {
            return new FaultResponse(false, $"no answer from {endpoint} ({e.GetBaseException().Message})");
        }
    }

    public void Dispose() => _http.Dispose();

    private static bool IsDown(Exception e, CancellationToken cancellationToken) =>
        e is HttpRequestException or JsonException or IOException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested);
}
