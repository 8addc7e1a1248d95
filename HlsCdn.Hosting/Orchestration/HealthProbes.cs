using System.Net.Sockets;
using System.Text;

namespace HlsCdn.Hosting.Orchestration;

/// <summary>Answers whether a resource is healthy right now.</summary>
public interface IHealthProbe
{
    Task<bool> CheckAsync(CancellationToken cancellationToken);
}

/// <summary>GET on a URL; healthy when it answers 2xx within the timeout.</summary>
public sealed class HttpHealthProbe(HttpClient client, Uri url) : IHealthProbe
{
    public Uri Url { get; } = url;

    public async Task<bool> CheckAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            using var response = await client.GetAsync(Url, timeout.Token);
            return response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            return false;
        }
    }
}

/// <summary>AUTH (when a password is set) and PING over RESP; healthy when the server answers +PONG.</summary>
public sealed class RespHealthProbe(string host, int port, string? password) : IHealthProbe
{
    public async Task<bool> CheckAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            using var client = new TcpClient();
            await client.ConnectAsync(host, port, timeout.Token);
            var stream = client.GetStream();
            var command = new StringBuilder();
            if (!string.IsNullOrEmpty(password))
            {
                command.Append(Resp("AUTH", password));
            }

            command.Append(Resp("PING"));
            await stream.WriteAsync(Encoding.UTF8.GetBytes(command.ToString()), timeout.Token);
            var buffer = new byte[256];
            var received = new StringBuilder();
            while (!received.ToString().Contains("PONG", StringComparison.Ordinal))
            {
                var read = await stream.ReadAsync(buffer, timeout.Token);
                if (read == 0)
                {
                    return false;
                }

                received.Append(Encoding.UTF8.GetString(buffer, 0, read));
                if (received.ToString().StartsWith('-'))
                {
                    return false;
                }
            }

            return true;
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException)
        {
            return false;
        }
    }

    private static string Resp(params string[] parts)
    {
        var builder = new StringBuilder().Append('*').Append(parts.Length).Append("\r\n");
        foreach (var part in parts)
        {
            builder.Append('$').Append(Encoding.UTF8.GetByteCount(part)).Append("\r\n").Append(part).Append("\r\n");
        }

        return builder.ToString();
    }
}
