using System.Net;
using System.Net.Sockets;
using System.Text;
using KernelSoak.Lava.Api;

namespace KernelSoak.Lava.Tests;

/// <summary>
/// The client against a plain HTTP responder on 127.0.0.1 that answers like LAVA does when it refuses: the
/// request it saw (Authorization header included) comes back in the body, as a careless server might echo
/// it. The token must show nowhere in what the client reports.
/// </summary>
public class LavaClientTests
{
    private const string Secret = "s3cretTOKENvalue0123456789abcdef";

    /// <summary>Answers each connection with <paramref name="status"/> and a body holding the request it read.</summary>
    private static (int Port, Task Serving, List<string> Requests) Responder(int status, string? body = null, int connections = 1)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var requests = new List<string>();
        var serving = Task.Run(async () =>
        {
            try
            {
                for (var i = 0; i < connections; i++)
                {
                    using var client = await listener.AcceptTcpClientAsync();
                    var stream = client.GetStream();
                    var buffer = new byte[64 * 1024];
                    var read = 0;
                    string request;
                    do
                    {
                        read += await stream.ReadAsync(buffer.AsMemory(read));
                        request = Encoding.ASCII.GetString(buffer, 0, read);
                    }
                    while (!request.Contains("\r\n\r\n", StringComparison.Ordinal) || (request.Contains("Content-Length: ", StringComparison.Ordinal) && !BodyComplete(request)));
                    lock (requests) requests.Add(request);
                    var text = body ?? System.Text.Json.JsonSerializer.Serialize(new { detail = request });
                    var bytes = Encoding.UTF8.GetBytes(text);
                    var head = $"HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {bytes.Length}\r\nConnection: close\r\n\r\n";
                    await stream.WriteAsync(Encoding.ASCII.GetBytes(head).Concat(bytes).ToArray());
                }
            }
            finally
            {
                listener.Stop();
            }
        });
        return (((IPEndPoint)listener.LocalEndpoint).Port, serving, requests);
    }

    private static bool BodyComplete(string request)
    {
        var split = request.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var length = int.Parse(request.Split("Content-Length: ")[1].Split("\r\n")[0], System.Globalization.CultureInfo.InvariantCulture);
        return Encoding.UTF8.GetByteCount(request[(split + 4)..]) >= length;
    }

    [Test]
    public async Task A_refused_token_is_reported_without_the_token_though_the_server_echoed_it()
    {
        var (port, serving, requests) = Responder(403);
        using var client = new LavaClient(new Uri($"http://127.0.0.1:{port}/"), new LavaToken(Secret));
        var error = Assert.ThrowsAsync<LavaApiException>(() => client.GetJobAsync(7))!;
        await serving;
        Assert.That(requests.Single(), Does.Contain($"Authorization: Token {Secret}"), "the token was sent, as LAVA wants it");
        Assert.That(requests.Single(), Does.StartWith("GET /api/v0.2/jobs/7/ HTTP/1.1"));
        Assert.That(error.Status, Is.EqualTo(403));
        Assert.That(error.Message, Does.Contain("token was refused").And.Contain("Token ***").And.Not.Contain(Secret));
        Assert.That(error.ToString(), Does.Not.Contain(Secret));
    }

    [Test]
    public async Task Submit_posts_the_definition_as_JSON_and_reads_the_job_id()
    {
        var (port, serving, requests) = Responder(201, "{\"message\":\"job(s) successfully submitted\",\"job_ids\":[42]}");
        using var client = new LavaClient(new Uri($"http://127.0.0.1:{port}/"), new LavaToken(Secret));
        Assert.That(await client.SubmitAsync("device_type: qemu\njob_name: \"x\"\n"), Is.EqualTo(42));
        await serving;
        Assert.That(requests.Single(), Does.StartWith("POST /api/v0.2/jobs/ HTTP/1.1").And.EndWith("{\"definition\":\"device_type: qemu\\njob_name: \\u0022x\\u0022\\n\"}"));
    }

    [Test]
    public async Task Reads_a_jobs_state_and_health_as_LAVA_2023_01_gives_them()
    {
        const string job = """{"id": 2, "actual_device": "qemu-02", "submit_time": "2026-12-02T18:26:58.350452Z", "start_time": "2026-12-02T18:26:58.797077Z", "end_time": "2026-12-02T18:28:05.001000Z", "state": "Finished", "health": "Complete", "failure_comment": null}""";
        var (port, serving, _) = Responder(200, job);
        using var client = new LavaClient(new Uri($"http://127.0.0.1:{port}/"), new LavaToken(Secret));
        var status = await client.GetJobAsync(2);
        await serving;
        Assert.That(status with { }, Is.EqualTo(new LavaJobStatus(2, LavaJobState.Finished, LavaJobHealth.Complete, "qemu-02",
            DateTimeOffset.Parse("2026-12-02T18:26:58.350452Z", System.Globalization.CultureInfo.InvariantCulture),
            DateTimeOffset.Parse("2026-12-02T18:26:58.797077Z", System.Globalization.CultureInfo.InvariantCulture),
            DateTimeOffset.Parse("2026-12-02T18:28:05.001Z", System.Globalization.CultureInfo.InvariantCulture), null)));
    }

    [Test]
    public void A_server_that_is_not_there_is_an_API_error_naming_it()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var client = new LavaClient(new Uri($"http://127.0.0.1:{port}/"), new LavaToken(Secret));
        var error = Assert.ThrowsAsync<LavaApiException>(() => client.SubmitAsync("x"))!;
        Assert.That(error.Message, Does.Contain($"127.0.0.1:{port}").And.Not.Contain(Secret));
    }

    [Test]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void The_token_masks_itself_and_its_file_must_be_private()
    {
        Assert.That(new LavaToken(Secret).ToString(), Is.EqualTo("***"));
        Assert.That($"{new LavaToken(Secret)}", Does.Not.Contain(Secret));
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, Secret + "\n");
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
            Assert.That(() => LavaToken.FromFile(path), Throws.TypeOf<UnauthorizedAccessException>().With.Message.Contains("chmod 600"));
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            Assert.That(LavaToken.FromFile(path).ToString(), Is.EqualTo("***"));
        }
        finally
        {
            File.Delete(path);
        }
        Assert.That(() => new LavaToken("two words"), Throws.ArgumentException);
        Assert.That(() => new LavaClient(new Uri($"http://user:{Secret}@127.0.0.1/"), new LavaToken(Secret)), Throws.ArgumentException.With.Message.Not.Contain(Secret));
    }
}
