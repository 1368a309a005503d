using System.Net;
using System.Net.Sockets;
using KernelSoak.Lava.Serving;

namespace KernelSoak.Lava.Tests;

public class ArtifactServerTests
{
    private string _dir = null!;

    [SetUp]
    public void MakeDir() => _dir = Directory.CreateTempSubdirectory("ks-artifacts-").FullName;

    [TearDown]
    public void RemoveDir() => Directory.Delete(_dir, recursive: true);

    private string File(string name, int bytes)
    {
        var path = Path.Combine(_dir, name);
        var data = new byte[bytes];
        new Random(bytes).NextBytes(data);
        System.IO.File.WriteAllBytes(path, data);
        return path;
    }

    [Test]
    public async Task Serves_a_published_file_whole_on_loopback_and_answers_HEAD_with_its_length()
    {
        var image = File("Image", 3 * 1024 * 1024 + 17);
        await using var server = new ArtifactServer();
        var url = server.Publish("Image", image);
        Assert.That(url.Host, Is.EqualTo("127.0.0.1"));
        using var http = new HttpClient();
        Assert.That(await http.GetByteArrayAsync(url), Is.EqualTo(System.IO.File.ReadAllBytes(image)));
        using var head = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, url));
        Assert.That(head.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(head.Content.Headers.ContentLength, Is.EqualTo(3 * 1024 * 1024 + 17));
        Assert.That(server.Served, Is.EqualTo(2));
    }

    [TestCase("GET /other", "404")]
    [TestCase("GET /../secret", "404")]
    [TestCase("GET /%2e%2e/secret", "404")]
    [TestCase("GET /" + "/tmp/secret", "404")]
    [TestCase("GET /", "404")]
    [TestCase("PUT /Image", "405")]
    [TestCase("GET /Image", "200")]
    public async Task Anything_but_a_published_name_is_not_found(string request, string status)
    {
        File("secret", 10);
        await using var server = new ArtifactServer();
        server.Publish("Image", File("Image", 10));
        // A raw request: HttpClient would tidy "/../" away before sending it.
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, server.Port);
        await client.GetStream().WriteAsync(System.Text.Encoding.ASCII.GetBytes($"{request} HTTP/1.1\r\nHost: x\r\n\r\n"));
        var answer = await new StreamReader(client.GetStream()).ReadLineAsync();
        Assert.That(answer, Does.StartWith($"HTTP/1.1 {status} "));
    }

    [Test]
    public async Task Binds_loopback_only_and_refuses_names_that_are_not_plain()
    {
        await using var server = new ArtifactServer();
        // The kernel's own table of listening sockets (state 0A): 127.0.0.1 is 0100007F there, every address 00000000.
        var port = server.Port.ToString("X4", System.Globalization.CultureInfo.InvariantCulture);
        var listening = System.IO.File.ReadAllLines("/proc/net/tcp").Skip(1).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f[3] == "0A" && f[1].EndsWith($":{port}", StringComparison.Ordinal)).Select(f => f[1]).ToList();
        Assert.That(listening, Is.EqualTo(new[] { $"0100007F:{port}" }));
        Assert.That(() => server.Publish("../x", File("x", 1)), Throws.ArgumentException);
        Assert.That(() => server.Publish(".hidden", File("y", 1)), Throws.ArgumentException);
        Assert.That(() => server.Publish("a b", File("z", 1)), Throws.ArgumentException);
        Assert.That(() => server.Publish("missing", Path.Combine(_dir, "missing")), Throws.TypeOf<FileNotFoundException>());
        Assert.That(() => new ArtifactServer(IPAddress.Any), Throws.ArgumentException.With.Message.Contains("host name"));
    }

    [Test]
    public async Task A_second_request_at_once_is_served_while_a_slow_reader_holds_the_first()
    {
        var image = File("Image", 8 * 1024 * 1024);
        await using var server = new ArtifactServer();
        var url = server.Publish("Image", image);
        using var slow = new TcpClient();
        await slow.ConnectAsync(IPAddress.Loopback, server.Port);
        await slow.GetStream().WriteAsync("GET /Image HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray());
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
        Assert.That((await http.GetByteArrayAsync(url)).Length, Is.EqualTo(8 * 1024 * 1024));
    }
}
