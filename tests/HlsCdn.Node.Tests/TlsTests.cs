using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using HlsCdn.Protocol;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace HlsCdn.Node.Tests;

public sealed class TlsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hlscdn-tls-").FullName;

    private string CertPath => Path.Combine(_dir, "cert.pem");

    private string KeyPath => Path.Combine(_dir, "key.pem");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Writes a new self-signed certificate for 127.0.0.1/localhost as PEM; returns its thumbprint.</summary>
    private string WriteCertificate(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        File.WriteAllText(KeyPath, key.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(CertPath, certificate.ExportCertificatePem());
        return certificate.Thumbprint;
    }

    private Dictionary<string, string?> TlsSettings(params (string Key, string? Value)[] more)
    {
        var settings = TestData.Settings(
            ("Node:Tls:Enabled", "true"),
            ("Node:Tls:Port", "0"),
            ("Node:Tls:BindAddress", "127.0.0.1"),
            ("Node:Tls:CertificatePath", CertPath),
            ("Node:Tls:PrivateKeyPath", KeyPath),
            ("Node:Tls:CheckReloadSeconds", "1"));
        foreach (var (key, value) in more)
        {
            settings[key] = value;
        }

        return settings;
    }

    private static Uri SecureUrl(TestNode node)
    {
        var addresses = ((IServer)node.Services.GetService(typeof(IServer))!).Features.Get<IServerAddressesFeature>()!.Addresses;
        var https = addresses.Single(a => a.StartsWith("https://", StringComparison.Ordinal));
        return new UriBuilder(https) { Scheme = "wss", Path = "/" }.Uri;
    }

    private static async Task<ClientWebSocket> ConnectAsync(Uri url, string thumbprint)
    {
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        socket.Options.RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate?.GetCertHashString() == thumbprint;
        await socket.ConnectAsync(url, TestContext.Current.CancellationToken);
        return socket;
    }

    private static async Task<string> ReceiveTextAsync(ClientWebSocket socket, byte[] buffer)
    {
        var result = await socket.ReceiveAsync(buffer, TestContext.Current.CancellationToken);
        Assert.Equal(WebSocketMessageType.Text, result.MessageType);
        return Encoding.UTF8.GetString(buffer, 0, result.Count);
    }

    // The certificate a fresh TLS handshake presents (any of the test's own self-signed ones is accepted).
    private static async Task<string> PresentedThumbprintAsync(Uri url)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, url.Port, TestContext.Current.CancellationToken);
        await using var tls = new SslStream(tcp.GetStream(), false, (_, certificate, _, _) => certificate?.Subject.StartsWith("CN=hlscdn-test-", StringComparison.Ordinal) == true);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "localhost" }, TestContext.Current.CancellationToken);
        return tls.RemoteCertificate!.GetCertHashString();
    }

    [Fact]
    public async Task Push_and_pull_over_wss_then_a_replaced_certificate_is_picked_up()
    {
        var first = WriteCertificate("hlscdn-test-1");
        await using var node = await TestNode.StartAsync(TlsSettings());
        var url = SecureUrl(node);

        using var publisher = await ConnectAsync(url, first);
        using var spectator = await ConnectAsync(url, first);
        var buffer = new byte[4096];
        await publisher.SendAsync(Encoding.UTF8.GetBytes(Messages.Push("tls", null)), WebSocketMessageType.Text, true, TestContext.Current.CancellationToken);
        Assert.Equal("OK", await ReceiveTextAsync(publisher, buffer));
        await spectator.SendAsync(Encoding.UTF8.GetBytes(Messages.Pull("tls", null)), WebSocketMessageType.Text, true, TestContext.Current.CancellationToken);
        Assert.Equal("OK", await ReceiveTextAsync(spectator, buffer));
        await publisher.SendAsync(Encoding.UTF8.GetBytes("F:duration=2"), WebSocketMessageType.Text, true, TestContext.Current.CancellationToken);
        await publisher.SendAsync(TestData.Fragment(5, 1500), WebSocketMessageType.Binary, true, TestContext.Current.CancellationToken);
        Assert.Equal("F:duration=2", await ReceiveTextAsync(spectator, buffer));
        var body = await spectator.ReceiveAsync(buffer, TestContext.Current.CancellationToken);
        Assert.Equal(TestData.Fragment(5, 1500), buffer[..body.Count]);

        // Under TLS frames go through Kestrel's stream (and so through TLS), never straight to the socket.
        Assert.All(node.Get<HlsCdn.Node.Connections.ConnectionTracker>().Connections, c => Assert.False(c.WritesToSocket));

        // A broken replacement is refused: the node keeps presenting the old certificate.
        await File.WriteAllTextAsync(CertPath, "-----BEGIN CERTIFICATE-----\nbroken\n-----END CERTIFICATE-----\n", TestContext.Current.CancellationToken);
        await Task.Delay(TimeSpan.FromSeconds(2.5), TestContext.Current.CancellationToken);
        Assert.Equal(first, await PresentedThumbprintAsync(url));

        // A good one is picked up within a few checks (1 s apart); sessions already open are not disturbed.
        var second = WriteCertificate("hlscdn-test-2");
        var presented = first;
        for (var i = 0; i < 50 && presented != second; i++)
        {
            await Task.Delay(200, TestContext.Current.CancellationToken);
            presented = await PresentedThumbprintAsync(url);
        }

        Assert.Equal(second, presented);
        using var late = await ConnectAsync(url, second);
        Assert.Equal(WebSocketState.Open, late.State);
        await publisher.SendAsync(Encoding.UTF8.GetBytes("H"), WebSocketMessageType.Text, true, TestContext.Current.CancellationToken);
        Assert.Equal(WebSocketState.Open, spectator.State);
    }

    [Fact]
    public async Task Http_disabled_leaves_only_the_TLS_listener()
    {
        var thumbprint = WriteCertificate("hlscdn-test-only-tls");
        await using var node = await TestNode.StartAsync(TlsSettings(("Node:Http:Enabled", "false")));
        var addresses = ((IServer)node.Services.GetService(typeof(IServer))!).Features.Get<IServerAddressesFeature>()!.Addresses;
        Assert.All(addresses, a => Assert.StartsWith("https://", a, StringComparison.Ordinal));
        Assert.Equal(thumbprint, await PresentedThumbprintAsync(SecureUrl(node)));
    }

    [Theory]
    [InlineData(false, true, "Node:Tls:CertificatePath (TLS_CERTIFICATE)")]
    [InlineData(true, false, "Node:Tls:PrivateKeyPath (TLS_PRIVATE_KEY)")]
    public async Task TLS_without_readable_files_stops_start_up_naming_the_setting(bool withCertificate, bool withKey, string named)
    {
        WriteCertificate("hlscdn-test-missing");
        var settings = TlsSettings();
        settings["Node:Tls:CertificatePath"] = withCertificate ? CertPath : Path.Combine(_dir, "absent.pem");
        settings["Node:Tls:PrivateKeyPath"] = withKey ? KeyPath : Path.Combine(_dir, "absent-key.pem");
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => TestNode.StartAsync(settings));
        Assert.Contains(named, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Neither_HTTP_nor_TLS_is_a_start_up_error()
    {
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => TestNode.StartAsync(TestData.Settings(("Node:Http:Enabled", "false"))));
        Assert.Contains("Node:Http:Enabled (HTTP_ENABLED)", ex.Message, StringComparison.Ordinal);
    }
}
