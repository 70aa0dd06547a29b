using System.Net.Http.Json;
using System.Text.Json;

namespace Decentral.Remote;

/// <summary>
/// Talks to the admin endpoints of a deployment (127.0.0.1 only, no proxy), with the deployment's admin
/// token (<see cref="AdminToken"/>, read from its state directory). An endpoint that does not answer is
/// "down": status and summary return null, fault posts return a failed response saying so; an endpoint
/// that refuses the request (401, 403) also returns null, and <see cref="RefusalOf"/> says why.
/// </summary>
internal sealed class AdminClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Uri, string> _refusals = new();

    public AdminClient(string? token, TimeSpan? timeout = null)
    {
        _http = new HttpClient(new SocketsHttpHandler { UseProxy = false, ConnectTimeout = TimeSpan.FromSeconds(2) })
        {
            Timeout = timeout ?? TimeSpan.FromSeconds(5),
        };
        if (token is not null)
        {
            _http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }
    }

    /// <summary>A client with the token of the deployment whose state lives in <paramref name="stateDirectory"/> (none yet: no token).</summary>
    public static AdminClient For(string stateDirectory, TimeSpan? timeout = null) => new(AdminToken.Read(stateDirectory), timeout);

    /// <summary>Why <paramref name="endpoint"/> refused the last request (HTTP 401 or 403 and its reason), or null.</summary>
    public string? RefusalOf(Uri endpoint) => _refusals.TryGetValue(endpoint, out var why) ? why : null;

    public Task<ClusterStatusReport?> StatusAsync(Uri endpoint, CancellationToken cancellationToken = default) =>
        GetAsync<ClusterStatusReport>(endpoint, "status", cancellationToken);

    public Task<ClusterSummaryReport?> SummaryAsync(Uri endpoint, CancellationToken cancellationToken = default) =>
        GetAsync<ClusterSummaryReport>(endpoint, "summary", cancellationToken);

    private async Task<T?> GetAsync<T>(Uri endpoint, string path, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            using var response = await _http.GetAsync(new Uri(endpoint, path), cancellationToken).ConfigureAwait(false);
            if (response.StatusCode is System.Net.HttpStatusCode.Unauthorized or System.Net.HttpStatusCode.Forbidden)
            {
                var body = await response.Content.ReadFromJsonAsync<FaultResponse>(AdminJson.Options, cancellationToken).ConfigureAwait(false);
                _refusals[endpoint] = $"HTTP {(int)response.StatusCode}: {body?.Message ?? response.ReasonPhrase}";
                return null;
            }

            response.EnsureSuccessStatusCode();
            _refusals.TryRemove(endpoint, out _);
            return await response.Content.ReadFromJsonAsync<T>(AdminJson.Options, cancellationToken).ConfigureAwait(false);
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
