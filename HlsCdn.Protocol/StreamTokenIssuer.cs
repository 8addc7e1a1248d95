using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace HlsCdn.Protocol;

/// <summary>Signs stream tokens (JWT, HS256) with a shared secret, as publishers, spectators and relaying nodes need them.</summary>
public sealed class StreamTokenIssuer
{
    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };
    private readonly SigningCredentials _credentials;
    private readonly TimeProvider _time;

    /// <summary>Creates an issuer for <paramref name="secret"/>.</summary>
    /// <exception cref="ArgumentException">The secret is empty.</exception>
    public StreamTokenIssuer(string secret, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        _credentials = new SigningCredentials(StreamTokenKey.Create(secret), SecurityAlgorithms.HmacSha256);
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Signs a token granting <paramref name="access"/> to <paramref name="streamId"/> for <paramref name="lifetime"/>.</summary>
    public string Issue(StreamAccess access, string streamId, TimeSpan lifetime)
    {
        ArgumentNullException.ThrowIfNull(streamId);
        var now = _time.GetUtcNow();
        var descriptor = new SecurityTokenDescriptor
        {
            Claims = new Dictionary<string, object>
            {
                [JwtRegisteredClaimNames.Sub] = StreamTokenKey.Subject(access, streamId),
                [JwtRegisteredClaimNames.Exp] = (now + lifetime).ToUnixTimeSeconds(),
            },
            SigningCredentials = _credentials,
        };
        return Handler.CreateToken(descriptor);
    }

    /// <summary>Signs a token with <paramref name="secret"/>; a convenience for one-off use.</summary>
    public static string Issue(string secret, StreamAccess access, string streamId, TimeSpan lifetime) =>
        new StreamTokenIssuer(secret).Issue(access, streamId, lifetime);
}
