using System.Net;
using System.Text;
using System.Text.Json;

namespace KernelSoak.Lava.Tests;

/// <summary>
/// LAVA's REST API v0.2 as an in-process handler, for the wiring's unit tests: it takes one job (id 7), answers
/// its state from <see cref="States"/> in turn (the last one stays), serves <see cref="Log"/>, lists <see cref="Devices"/>.
/// Every request is recorded; <see cref="OnRequest"/> sees each one before it is answered.
/// </summary>
internal sealed class FakeLava : HttpMessageHandler
{
    public const int JobId = 7;
    public const string Token = "fakeTOKEN0123456789";

    public List<string> Requests { get; } = [];
    public List<(string State, string Health)> States { get; init; } = [("Finished", "Complete")];
    public string Log { get; init; } = TestLogs.Read("complete-clean.yaml");
    public List<(string Name, string Health)> Devices { get; init; } = [("qemu-01", "Good")];
    public HttpStatusCode Status { get; init; } = HttpStatusCode.OK;
    public Action<string>? OnRequest { get; init; }
    private int _reads;

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var path = request.RequestUri!.PathAndQuery;
        var line = $"{request.Method} {path}";
        Requests.Add(line);
        OnRequest?.Invoke(line);
        if (Status != HttpStatusCode.OK) return Answer(Status, new { detail = $"refused {request.Headers.Authorization}" });
        if (request.Method == HttpMethod.Post && path.EndsWith("/jobs/", StringComparison.Ordinal)) return Answer(HttpStatusCode.Created, new { job_ids = new[] { JobId } });
        if (path.Contains("/devices/", StringComparison.Ordinal))
            return Answer(HttpStatusCode.OK, new { next = (string?)null, results = Devices.Select(d => new { hostname = d.Name, device_type = "qemu", state = "Idle", health = d.Health, worker_host = "w" }) });
        if (path.EndsWith($"/jobs/{JobId}/logs/", StringComparison.Ordinal))
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(Log) });
        if (path.EndsWith($"/jobs/{JobId}/cancel/", StringComparison.Ordinal)) return Answer(HttpStatusCode.OK, new { });
        if (path.EndsWith($"/jobs/{JobId}/", StringComparison.Ordinal))
        {
            var (state, health) = States[Math.Min(_reads++, States.Count - 1)];
            return Answer(HttpStatusCode.OK, new
            {
                state, health, actual_device = "qemu-01", submit_time = "2026-12-02T19:02:00Z",
                start_time = state == "Finished" ? "2026-12-02T19:02:01Z" : null, end_time = state == "Finished" ? "2026-12-02T19:03:07Z" : null,
                failure_comment = (string?)null,
            });
        }
        return Answer(HttpStatusCode.NotFound, new { detail = "no such object" });
    }

    private static Task<HttpResponseMessage> Answer(HttpStatusCode status, object body) =>
        Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json") });
}
