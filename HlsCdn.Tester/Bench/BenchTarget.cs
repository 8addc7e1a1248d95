using System.Net;
using HlsCdn.Protocol;

namespace HlsCdn.Tester.Bench;

/// <summary>
/// Where a bench run connects and how it signs in: a loopback <c>ws://</c>/<c>wss://</c> URL, and the push/pull
/// secrets (HS256 tokens signed with <see cref="StreamTokenIssuer"/>) or none.
/// </summary>
public sealed record BenchTarget(Uri Url, string? PushSecret, string? PullSecret)
{
    private static readonly TimeSpan TokenLifetime = TimeSpan.FromHours(1);

    /// <summary>Parses a node URL; <c>null</c> unless it is an absolute ws:// or wss:// URL to a loopback host.</summary>
    public static Uri? ParseLoopbackUrl(string? value, out string? error)
    {
        error = null;
        if (!Uri.TryCreate(value, UriKind.Absolute, out var url) || url.Scheme is not ("ws" or "wss"))
        {
            error = $"'{value}' is not a ws:// or wss:// URL";
            return null;
        }

        if (!IsLoopback(url))
        {
            error = $"'{value}' is not a loopback address: the bench only targets 127.0.0.1, ::1 or localhost";
            return null;
        }

        return url;
    }

    /// <summary>True for <c>localhost</c> and loopback IP addresses.</summary>
    public static bool IsLoopback(Uri url) =>
        string.Equals(url.IdnHost, "localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(url.IdnHost, out var address) && IPAddress.IsLoopback(address));

    /// <summary>The publisher's first message.</summary>
    public string Push(string streamId) =>
        Messages.Push(streamId, string.IsNullOrEmpty(PushSecret) ? null : StreamTokenIssuer.Issue(PushSecret, StreamAccess.Push, streamId, TokenLifetime));

    /// <summary>A spectator's first message.</summary>
    public string Pull(string streamId, int? maxInitialFragments) =>
        Messages.Pull(streamId, string.IsNullOrEmpty(PullSecret) ? null : StreamTokenIssuer.Issue(PullSecret, StreamAccess.Pull, streamId, TokenLifetime), maxInitialFragments: maxInitialFragments);
}
