using System.Globalization;
using System.Net;

namespace KernelSoak.Boards.Switches;

/// <summary>
/// Where a board's outlet is for pdudaemon: its HTTP listener, the PDU as named in its config ("pdus"
/// key, pdudaemon's hostname) and the outlet (its port), and how long a reboot stays off.
/// </summary>
public sealed record PduDaemonOutlet(string DaemonHost, int DaemonPort, string Pdu, int Outlet, TimeSpan OffFor)
{
    /// <summary>What is wrong with these settings, each naming its key; empty when usable.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (DaemonHost.Length == 0) problems.Add("[Power] PduDaemonHost is empty: the host pdudaemon listens on");
        if (DaemonPort is <= 0 or > 65535) problems.Add($"[Power] PduDaemonPort = {DaemonPort} is not a TCP port (pdudaemon's default is 16421)");
        if (Pdu.Length == 0) problems.Add("[Power] Pdu is empty: name the PDU as it is keyed under \"pdus\" in pdudaemon.conf");
        if (Outlet <= 0) problems.Add($"[Power] PduOutlet = {Outlet}: the board's outlet number on that PDU");
        return problems;
    }
}

/// <summary>
/// Power through pdudaemon, as LAVA and labgrid labs drive it: GET /power/control/{on,off,reboot}?hostname=PDU&amp;port=OUTLET
/// on its HTTP listener (reboot with delay = the seconds off). pdudaemon answers once its driver ran the
/// request: 200 taken, 500 refused (an unknown PDU, a missing outlet; upstream also a driver that failed,
/// while Debian 12's 0.0.8 answers 200 even then and only its log tells).
/// </summary>
public sealed class PduDaemonPowerSwitch : IPowerSwitch, IDisposable
{
    private readonly PduDaemonOutlet _outlet;
    private readonly HttpClient _http;

    public PduDaemonPowerSwitch(PduDaemonOutlet outlet)
    {
        if (outlet.Problems() is { Count: > 0 } problems) throw new PowerSwitchException($"[Power] Switch = pdudaemon: {string.Join("; ", problems)}");
        _outlet = outlet;
        // pdudaemon holds the request while its driver works (retries included): give it the time.
        _http = new HttpClient { Timeout = outlet.OffFor + TimeSpan.FromSeconds(90) };
    }

    /// <summary>pdudaemon cannot be asked; the board is taken to be on (SSH tells the rest).</summary>
    public bool IsOn => true;

    public Task OnAsync(CancellationToken cancellation = default) => RequestAsync("on", cancellation);
    public Task OffAsync(CancellationToken cancellation = default) => RequestAsync("off", cancellation);
    public Task ResetAsync(CancellationToken cancellation = default) => RequestAsync("reboot", cancellation);

    /// <summary>The request's address, as pdudaemon's README gives it.</summary>
    public Uri Address(string command)
    {
        var query = $"hostname={Uri.EscapeDataString(_outlet.Pdu)}&port={_outlet.Outlet.ToString(CultureInfo.InvariantCulture)}";
        if (command == "reboot") query += $"&delay={Math.Max(0, (int)Math.Ceiling(_outlet.OffFor.TotalSeconds)).ToString(CultureInfo.InvariantCulture)}";
        return new UriBuilder(Uri.UriSchemeHttp, _outlet.DaemonHost, _outlet.DaemonPort, $"/power/control/{command}") { Query = query }.Uri;
    }

    private async Task RequestAsync(string command, CancellationToken cancellation)
    {
        var address = Address(command);
        HttpResponseMessage response;
        try
        {
            response = await _http.GetAsync(address, cancellation);
        }
        catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !cancellation.IsCancellationRequested))
        {
            throw new PowerSwitchException($"[Power] Switch = pdudaemon: {command} could not reach pdudaemon at {_outlet.DaemonHost}:{_outlet.DaemonPort} " +
                $"(PduDaemonHost/PduDaemonPort; is it running with \"listener\": \"http\"?): {e.Message} — the board's power is in an unknown state", e);
        }
        using (response)
        {
            if (response.StatusCode == HttpStatusCode.OK) return;
            var body = (await response.Content.ReadAsStringAsync(cancellation)).Trim();
            throw new PowerSwitchException($"[Power] Switch = pdudaemon: {command} of {_outlet.Pdu} outlet {_outlet.Outlet} refused (HTTP {(int)response.StatusCode}: {body}) — " +
                "check Pdu and PduOutlet against pdudaemon.conf and its log; the board's power is in an unknown state");
        }
    }

    public void Dispose() => _http.Dispose();
}
