using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace KernelSoak.Lava.Api;

/// <summary>
/// LAVA's REST API v0.2 (lava-server 2023.01): submit a job, read its state, cancel it, fetch its log, list
/// devices. Authenticated with "Authorization: Token …"; the token stays in the header (see <see cref="LavaToken"/>).
/// </summary>
public sealed class LavaClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly LavaToken _token;

    /// <param name="server">The server's base URL (http://127.0.0.1:8000/); the API is under api/v0.2/.</param>
    public LavaClient(Uri server, LavaToken token, HttpMessageHandler? handler = null)
    {
        if (!server.IsAbsoluteUri || (server.Scheme != Uri.UriSchemeHttp && server.Scheme != Uri.UriSchemeHttps))
            throw new ArgumentException($"LAVA server {server}: an absolute http(s) URL");
        if (!string.IsNullOrEmpty(server.UserInfo)) throw new ArgumentException("LAVA server: put the token in the token setting, not in the URL");
        _token = token;
        _http = handler is null ? new HttpClient() : new HttpClient(handler);
        _http.BaseAddress = new Uri(server, "api/v0.2/");
        _http.Timeout = TimeSpan.FromSeconds(60);
        _http.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", token.Header);
    }

    public Uri Server => new(_http.BaseAddress!, "../../");

    /// <summary>Submits a job definition (YAML); the job's id. A refused definition throws with LAVA's reason.</summary>
    public async Task<int> SubmitAsync(string definition, CancellationToken cancellation = default)
    {
        // A sized body, not JsonContent's chunked stream: Django behind gunicorn reads a chunked request as empty.
        var body = new StringContent(JsonSerializer.Serialize(new { definition }), System.Text.Encoding.UTF8, "application/json");
        var answer = await SendAsync(HttpMethod.Post, "jobs/", body, cancellation);
        var ids = answer["job_ids"]?.AsArray();
        if (ids is null || ids.Count != 1) throw new LavaApiException($"LAVA accepted the job but named {ids?.Count ?? 0} job ids (a multinode job?): {answer.ToJsonString()}");
        return ids[0]!.GetValue<int>();
    }

    public async Task<LavaJobStatus> GetJobAsync(int id, CancellationToken cancellation = default)
    {
        var job = await SendAsync(HttpMethod.Get, $"jobs/{id}/", null, cancellation);
        return new LavaJobStatus(
            id,
            Parse<LavaJobState>(job, "state"),
            Parse<LavaJobHealth>(job, "health"),
            (string?)job["actual_device"],
            Time(job, "submit_time"),
            Time(job, "start_time"),
            Time(job, "end_time"),
            (string?)job["failure_comment"]);
    }

    /// <summary>Asks LAVA to cancel the job (it ends Canceled); a finished job is left as it is.</summary>
    public Task CancelAsync(int id, CancellationToken cancellation = default) => SendAsync(HttpMethod.Get, $"jobs/{id}/cancel/", null, cancellation);

    /// <summary>The job's log in LAVA's YAML log format (one "- {dt, lvl, msg}" entry a line); empty before the job starts.</summary>
    public async Task<string> GetLogAsync(int id, CancellationToken cancellation = default)
    {
        using var response = await SendRawAsync(HttpMethod.Get, $"jobs/{id}/logs/", null, cancellation);
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound) return "";
        await EnsureSuccessAsync(response, $"jobs/{id}/logs/", cancellation);
        return await response.Content.ReadAsStringAsync(cancellation);
    }

    /// <summary>The devices of one type, every page.</summary>
    public async Task<IReadOnlyList<LavaDevice>> GetDevicesAsync(string deviceType, CancellationToken cancellation = default)
    {
        var devices = new List<LavaDevice>();
        string? next = $"devices/?device_type={Uri.EscapeDataString(deviceType)}&limit=100";
        while (next is not null)
        {
            var page = await SendAsync(HttpMethod.Get, next, null, cancellation);
            foreach (var d in page["results"]?.AsArray() ?? [])
                devices.Add(new LavaDevice((string)d!["hostname"]!, (string)d["device_type"]!, (string)d["state"]!, (string)d["health"]!, (string?)d["worker_host"]));
            next = (string?)page["next"];
        }
        return devices;
    }

    private async Task<JsonObject> SendAsync(HttpMethod method, string path, HttpContent? content, CancellationToken cancellation)
    {
        using var response = await SendRawAsync(method, path, content, cancellation);
        await EnsureSuccessAsync(response, path, cancellation);
        var text = await response.Content.ReadAsStringAsync(cancellation);
        try
        {
            return JsonNode.Parse(text)?.AsObject() ?? throw new JsonException("null");
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new LavaApiException($"LAVA's answer to {method} {path} is not a JSON object: {Cut(_token.Mask(text))}", (int)response.StatusCode, e);
        }
    }

    private async Task<HttpResponseMessage> SendRawAsync(HttpMethod method, string path, HttpContent? content, CancellationToken cancellation)
    {
        // A reading (GET) is tried again once: the connection it went out on may have been closed under it.
        for (var attempt = 1; ; attempt++)
        {
            // One connection a request: gunicorn's eventlet workers drop idle keep-alive connections, and a
            // pooled one found dead fails the request ("An error occurred while sending the request").
            using var request = new HttpRequestMessage(method, path) { Content = content };
            request.Headers.ConnectionClose = true;
            try
            {
                return await _http.SendAsync(request, cancellation);
            }
            catch (HttpRequestException) when (method == HttpMethod.Get && attempt == 1)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), cancellation);
            }
            catch (HttpRequestException e)
            {
                throw new LavaApiException($"LAVA at {Server} did not answer {method} {path}: {_token.Mask(Why(e))}", null, e);
            }
            catch (TaskCanceledException e) when (!cancellation.IsCancellationRequested)
            {
                throw new LavaApiException($"LAVA at {Server} did not answer {method} {path} within {_http.Timeout.TotalSeconds:0} s", null, e);
            }
        }
    }

    /// <summary>The innermost reason: HttpClient's own message is only "An error occurred while sending the request".</summary>
    private static string Why(Exception e) => e.InnerException is { } inner ? $"{e.Message} ({Why(inner)})" : e.Message;

    private async Task EnsureSuccessAsync(HttpResponseMessage response, string path, CancellationToken cancellation)
    {
        if (response.IsSuccessStatusCode) return;
        var body = _token.Mask(await response.Content.ReadAsStringAsync(cancellation));
        var why = (int)response.StatusCode switch
        {
            401 or 403 => "the token was refused (is it the right server's, is its user allowed?)",
            404 => "no such object",
            400 => "the request was refused",
            _ => $"HTTP {(int)response.StatusCode}",
        };
        throw new LavaApiException($"LAVA {path}: {why}: {Cut(body)}", (int)response.StatusCode);
    }

    private static T Parse<T>(JsonObject job, string field) where T : struct, Enum =>
        Enum.TryParse<T>((string?)job[field], ignoreCase: true, out var value)
            ? value
            : throw new LavaApiException($"LAVA job {field} '{(string?)job[field]}' is not one KernelSoak knows ({string.Join(", ", Enum.GetNames<T>())})");

    private static DateTimeOffset? Time(JsonObject job, string field) =>
        (string?)job[field] is { Length: > 0 } text ? DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal) : null;

    private static string Cut(string text) => text.Length <= 400 ? text : text[..400] + " …";

    public void Dispose() => _http.Dispose();
}
