using HlsCdn.Protocol;

namespace HlsCdn.Client;

/// <summary>Checks shared by <see cref="StreamPublisherOptions"/> and <see cref="StreamSpectatorOptions"/>.</summary>
internal static class ClientOptionChecks
{
    public static void CheckUrl(Uri? url, string name)
    {
        if (url is null || !url.IsAbsoluteUri || (url.Scheme != "ws" && url.Scheme != "wss"))
        {
            throw new ArgumentException($"{name}: '{url}' is not an absolute ws:// or wss:// URL.");
        }
    }

    public static void CheckCommon(string owner, string streamId, string? token, string? secret, TimeSpan tokenLifetime, TimeSpan connectTimeout, TimeSpan heartbeat)
    {
        if (!StreamIds.IsValid(streamId))
        {
            throw new ArgumentException($"{owner}.StreamId must be 1 to {ProtocolLimits.MaxStreamIdLength} characters without control characters.");
        }

        if (!string.IsNullOrEmpty(token) && !string.IsNullOrEmpty(secret))
        {
            throw new ArgumentException($"{owner}: set either Token or the secret, not both.");
        }

        // The longest request this token can appear in must fit the protocol's text limit: such a message is never sent.
        var request = Messages.Pull(streamId, token, onlySource: true, maxInitialFragments: int.MaxValue);
        if (System.Text.Encoding.UTF8.GetByteCount(request) > ProtocolLimits.MaxTextMessageBytes)
        {
            throw new ArgumentException($"{owner}: the stream id and token make a request over the protocol's {ProtocolLimits.MaxTextMessageBytes}-byte text limit.");
        }

        if (tokenLifetime <= TimeSpan.Zero || connectTimeout <= TimeSpan.Zero || heartbeat <= TimeSpan.Zero)
        {
            throw new ArgumentException($"{owner}: TokenLifetime, ConnectTimeout and HeartbeatInterval must be positive.");
        }
    }
}
