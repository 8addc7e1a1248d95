using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace HlsCdn.Protocol;

/// <summary>The outcome of checking a stream token.</summary>
/// <param name="IsValid">Whether access is granted.</param>
/// <param name="Reason">Why not, when it is not (safe to send to the client: it never contains the secret).</param>
public readonly record struct StreamTokenCheck(bool IsValid, string? Reason)
{
    /// <summary>Access granted.</summary>
    public static StreamTokenCheck Granted { get; } = new(true, null);

    /// <summary>Access denied for <paramref name="reason"/>.</summary>
    public static StreamTokenCheck Denied(string reason) => new(false, reason);
}

/// <summary>
/// Validates stream tokens as protocol.md says: JWT signed with HMAC (HS256/384/512 only; <c>none</c> and every
/// other algorithm are refused), <c>sub</c> equal to <c>PUSH:{id}</c> or <c>PULL:{id}</c>, <c>exp</c> required and
/// in the future with no clock-skew leeway unless configured. An empty secret disables the check.
/// </summary>
public sealed class StreamTokenValidator
{
    /// <summary>Upper bound on a token's length; longer tokens are refused without parsing.</summary>
    public const int MaxTokenLength = ProtocolLimits.MaxTextMessageBytes;

    private static readonly JsonWebTokenHandler Handler = new() { MaximumTokenSizeInBytes = MaxTokenLength };
    private readonly TokenValidationParameters? _parameters;

    /// <summary>Creates a validator for <paramref name="secret"/>; null or empty disables validation.</summary>
    public StreamTokenValidator(string? secret, TimeSpan clockSkew = default, TimeProvider? time = null)
    {
        if (string.IsNullOrEmpty(secret))
        {
            return;
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(clockSkew, TimeSpan.Zero);
        _parameters = new TokenValidationParameters
        {
            IssuerSigningKey = StreamTokenKey.Create(secret),
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256, SecurityAlgorithms.HmacSha384, SecurityAlgorithms.HmacSha512],
            ValidateIssuerSigningKey = true,
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateLifetime = true,
            ClockSkew = clockSkew,
            ValidateIssuer = false,
            ValidateAudience = false,
            // Tokens carry no "kid" (neither ours nor the original's), so the one configured key must be
            // tried without a key id match; with false every token was refused as "key not found".
            TryAllIssuerSigningKeys = true,
        };
        if (time is not null)
        {
            _parameters.LifetimeValidator = (notBefore, expires, _, p) =>
            {
                var now = time.GetUtcNow().UtcDateTime;
                return expires is { } exp && exp + p.ClockSkew > now && (notBefore is not { } nbf || nbf - p.ClockSkew <= now);
            };
        }
    }

    /// <summary>Whether tokens are checked at all (a secret is configured).</summary>
    public bool IsEnabled => _parameters is not null;

    /// <summary>Checks that <paramref name="token"/> grants <paramref name="access"/> to <paramref name="streamId"/>.</summary>
    public async ValueTask<StreamTokenCheck> ValidateAsync(string? token, StreamAccess access, string streamId)
    {
        if (_parameters is null)
        {
            return StreamTokenCheck.Granted;
        }

        if (string.IsNullOrEmpty(token))
        {
            return StreamTokenCheck.Denied("missing token");
        }

        if (token.Length > MaxTokenLength)
        {
            return StreamTokenCheck.Denied("token too long");
        }

        TokenValidationResult result;
        try
        {
            result = await Handler.ValidateTokenAsync(token, _parameters).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or SecurityTokenException)
        {
            return StreamTokenCheck.Denied("malformed token");
        }

        if (!result.IsValid || result.SecurityToken is not JsonWebToken jwt)
        {
            return StreamTokenCheck.Denied(Describe(result.Exception));
        }

        if (FirstNonNumericDate(jwt) is { } claim)
        {
            return StreamTokenCheck.Denied($"token claim '{claim}' must be a number (NumericDate)");
        }

        if (!jwt.TryGetPayloadValue<string>(JwtRegisteredClaimNames.Sub, out var subject)
            || !string.Equals(subject, StreamTokenKey.Subject(access, streamId), StringComparison.Ordinal))
        {
            return StreamTokenCheck.Denied("token subject does not grant this stream");
        }

        return StreamTokenCheck.Granted;
    }

    // RFC 7519 4.1.4-6: exp, nbf and iat are NumericDates, JSON numbers. The token handler also converts strings
    // ("exp": "1795830000"), which the original server (and the RFC) refuse, so the raw payload decides.
    private static string? FirstNonNumericDate(JsonWebToken jwt)
    {
        var payload = Base64UrlEncoder.DecodeBytes(jwt.EncodedPayload);
        var reader = new Utf8JsonReader(payload);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return "payload";
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var claim = reader.ValueTextEquals(JwtRegisteredClaimNames.Exp) ? JwtRegisteredClaimNames.Exp
                : reader.ValueTextEquals(JwtRegisteredClaimNames.Nbf) ? JwtRegisteredClaimNames.Nbf
                : reader.ValueTextEquals(JwtRegisteredClaimNames.Iat) ? JwtRegisteredClaimNames.Iat
                : null;
            if (!reader.Read())
            {
                return "payload";
            }

            if (claim is not null && reader.TokenType != JsonTokenType.Number)
            {
                return claim;
            }

            reader.Skip();
        }

        return null;
    }

    private static string Describe(Exception? ex) => ex switch
    {
        SecurityTokenNoExpirationException => "token has no expiry",
        SecurityTokenExpiredException => "token expired",
        SecurityTokenNotYetValidException => "token not yet valid",
        SecurityTokenInvalidAlgorithmException => "token algorithm not allowed",
        SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException => "invalid token signature",
        SecurityTokenInvalidLifetimeException => "token expired or not yet valid",
        _ => "invalid token",
    };
}
