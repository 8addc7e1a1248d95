using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace HlsCdn.Protocol.Tests;

public class StreamTokenTests
{
    private const string Secret = "a-long-enough-shared-secret-for-hs512-signatures-0123456789abcdef";
    private const string StreamId = "room/cam1/1280x720-30~2500000";
    private static readonly DateTimeOffset Now = new(2030, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private static ManualTimeProvider Clock() => new(Now);

    private static StreamTokenValidator Validator(string? secret = Secret, TimeProvider? time = null) =>
        new(secret, time: time ?? Clock());

    private static async Task<StreamTokenCheck> Check(string? token, StreamAccess access = StreamAccess.Push, string streamId = StreamId, string? secret = Secret, TimeProvider? time = null) =>
        await Validator(secret, time).ValidateAsync(token, access, streamId);

    private static string HandMade(string algorithm, byte[] key, object? exp, string sub = "PUSH:" + StreamId)
    {
        var claims = new Dictionary<string, object> { [JwtRegisteredClaimNames.Sub] = sub };
        if (exp is not null)
        {
            claims[JwtRegisteredClaimNames.Exp] = exp;
        }

        var handler = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false };
        return handler.CreateToken(new SecurityTokenDescriptor
        {
            Claims = claims,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(key), algorithm),
        });
    }

    private static long ExpIn(TimeSpan span) => (Now + span).ToUnixTimeSeconds();

    private static string Base64Url(byte[] bytes) => Base64UrlEncoder.Encode(bytes);

    private static string Base64UrlJson(string json) => Base64Url(Encoding.UTF8.GetBytes(json));

    [Fact]
    public async Task Hs256_token_signed_by_the_issuer_is_accepted()
    {
        var token = new StreamTokenIssuer(Secret, Clock()).Issue(StreamAccess.Push, StreamId, TimeSpan.FromMinutes(5));
        var header = Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(token.Split('.')[0]));
        Assert.Contains("\"HS256\"", header, StringComparison.Ordinal);
        Assert.Equal(StreamTokenCheck.Granted, await Check(token));
    }

    [Fact]
    public async Task Pull_token_is_accepted_for_pull()
    {
        var token = new StreamTokenIssuer(Secret, Clock()).Issue(StreamAccess.Pull, StreamId, TimeSpan.FromMinutes(5));
        Assert.True((await Check(token, StreamAccess.Pull)).IsValid);
    }

    [Fact]
    public void Issued_token_carries_sub_and_exp()
    {
        var token = new StreamTokenIssuer(Secret, Clock()).Issue(StreamAccess.Pull, StreamId, TimeSpan.FromSeconds(90));
        var jwt = new JsonWebToken(token);
        Assert.Equal("PULL:" + StreamId, jwt.Subject);
        Assert.Equal(ExpIn(TimeSpan.FromSeconds(90)), jwt.GetPayloadValue<long>(JwtRegisteredClaimNames.Exp));
    }

    [Theory]
    [InlineData(SecurityAlgorithms.HmacSha384)]
    [InlineData(SecurityAlgorithms.HmacSha512)]
    [InlineData(SecurityAlgorithms.HmacSha256)]
    public async Task Hmac_tokens_made_elsewhere_are_accepted(string algorithm)
    {
        var token = HandMade(algorithm, Encoding.UTF8.GetBytes(Secret), ExpIn(TimeSpan.FromMinutes(1)));
        Assert.True((await Check(token)).IsValid);
    }

    [Fact]
    public async Task Alg_none_is_rejected()
    {
        var header = Base64UrlJson("{\"alg\":\"none\",\"typ\":\"JWT\"}");
        var payload = Base64UrlJson($"{{\"sub\":\"PUSH:{StreamId.Replace("/", "\\/", StringComparison.Ordinal)}\",\"exp\":{ExpIn(TimeSpan.FromMinutes(1))}}}");
        Assert.False((await Check(header + "." + payload + ".")).IsValid);
        Assert.False((await Check(header + "." + payload)).IsValid);
    }

    [Fact]
    public async Task Hs256_header_with_forged_signature_is_rejected()
    {
        var token = new StreamTokenIssuer(Secret, Clock()).Issue(StreamAccess.Push, StreamId, TimeSpan.FromMinutes(5));
        var parts = token.Split('.');
        var forgedPayload = Base64UrlJson($"{{\"sub\":\"PUSH:other\",\"exp\":{ExpIn(TimeSpan.FromMinutes(1))}}}");
        Assert.False((await Check(parts[0] + "." + forgedPayload + "." + parts[2], streamId: "other")).IsValid);
    }

    [Fact]
    public async Task Rs256_token_is_rejected()
    {
        using var rsa = RSA.Create(2048);
        var handler = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false };
        var token = handler.CreateToken(new SecurityTokenDescriptor
        {
            Claims = new Dictionary<string, object>
            {
                [JwtRegisteredClaimNames.Sub] = "PUSH:" + StreamId,
                [JwtRegisteredClaimNames.Exp] = ExpIn(TimeSpan.FromMinutes(1)),
            },
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(rsa), SecurityAlgorithms.RsaSha256),
        });
        Assert.False((await Check(token)).IsValid);
    }

    [Fact]
    public async Task Hs256_token_with_unknown_alg_header_is_rejected()
    {
        // A correct HS256 signature but the header claims HS1 (not a JWT algorithm): refused.
        var header = Base64UrlJson("{\"alg\":\"HS1\",\"typ\":\"JWT\"}");
        var payload = Base64UrlJson($"{{\"sub\":\"PUSH:x\",\"exp\":{ExpIn(TimeSpan.FromMinutes(1))}}}");
        var signature = Base64Url(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.ASCII.GetBytes(header + "." + payload)));
        Assert.False((await Check(header + "." + payload + "." + signature, streamId: "x")).IsValid);
    }

    [Theory]
    [InlineData("\"exp\":\"{0}\"", "exp")]
    [InlineData("\"exp\":{0},\"nbf\":\"{1}\"", "nbf")]
    [InlineData("\"exp\":{0},\"iat\":\"{1}\"", "iat")]
    public async Task Dates_that_are_json_strings_are_rejected(string dates, string claim)
    {
        var json = string.Format(System.Globalization.CultureInfo.InvariantCulture, dates, ExpIn(TimeSpan.FromMinutes(5)), ExpIn(TimeSpan.FromMinutes(-5)));
        var header = Base64UrlJson("""{"alg":"HS256","typ":"JWT"}""");
        var payload = Base64UrlJson($"{{\"sub\":\"PUSH:{StreamId.Replace("/", "\\/", StringComparison.Ordinal)}\",{json}}}");
        var signature = Base64Url(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.ASCII.GetBytes(header + "." + payload)));
        var check = await Check(header + "." + payload + "." + signature);
        Assert.False(check.IsValid);
        Assert.Contains(claim, check.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"exp\":{0},\"nbf\":null")]
    [InlineData("\"exp\":[{0}]")]
    [InlineData("\"exp\":{{\"v\":{0}}}")]
    [InlineData("\"exp\":true")]
    public async Task Dates_of_other_json_kinds_are_rejected(string dates)
    {
        var json = string.Format(System.Globalization.CultureInfo.InvariantCulture, dates, ExpIn(TimeSpan.FromMinutes(5)));
        var header = Base64UrlJson("""{"alg":"HS256","typ":"JWT"}""");
        var payload = Base64UrlJson($"{{\"sub\":\"PUSH:{StreamId.Replace("/", "\\/", StringComparison.Ordinal)}\",{json}}}");
        var signature = Base64Url(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.ASCII.GetBytes(header + "." + payload)));
        Assert.False((await Check(header + "." + payload + "." + signature)).IsValid);
    }

    [Fact]
    public async Task Numeric_nbf_and_iat_are_accepted()
    {
        var header = Base64UrlJson("""{"alg":"HS256","typ":"JWT"}""");
        var payload = Base64UrlJson($"{{\"iat\":{ExpIn(TimeSpan.FromMinutes(-5))},\"sub\":\"PUSH:{StreamId.Replace("/", "\\/", StringComparison.Ordinal)}\",\"nbf\":{ExpIn(TimeSpan.FromMinutes(-5))}.5,\"exp\":{ExpIn(TimeSpan.FromMinutes(5))}}}");
        var signature = Base64Url(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.ASCII.GetBytes(header + "." + payload)));
        Assert.Equal(StreamTokenCheck.Granted, await Check(header + "." + payload + "." + signature));
    }

    [Fact]
    public async Task Missing_exp_is_rejected()
    {
        var token = HandMade(SecurityAlgorithms.HmacSha256, Encoding.UTF8.GetBytes(Secret), exp: null);
        var check = await Check(token);
        Assert.False(check.IsValid);
        Assert.False((await Check(token, time: TimeProvider.System)).IsValid);
    }

    [Fact]
    public async Task Expiry_is_checked_against_the_time_provider_without_leeway()
    {
        var clock = Clock();
        var token = new StreamTokenIssuer(Secret, clock).Issue(StreamAccess.Push, StreamId, TimeSpan.FromSeconds(60));
        var validator = new StreamTokenValidator(Secret, time: clock);

        clock.Advance(TimeSpan.FromSeconds(59));
        Assert.True((await validator.ValidateAsync(token, StreamAccess.Push, StreamId)).IsValid);

        clock.Advance(TimeSpan.FromSeconds(2));
        var check = await validator.ValidateAsync(token, StreamAccess.Push, StreamId);
        Assert.False(check.IsValid);
        Assert.NotNull(check.Reason);
    }

    [Fact]
    public async Task Expired_token_is_rejected_with_the_system_clock()
    {
        var past = new ManualTimeProvider(DateTimeOffset.UtcNow.AddHours(-2));
        var token = new StreamTokenIssuer(Secret, past).Issue(StreamAccess.Push, StreamId, TimeSpan.FromHours(1));
        var check = await new StreamTokenValidator(Secret).ValidateAsync(token, StreamAccess.Push, StreamId);
        Assert.False(check.IsValid);
        Assert.Equal("token expired", check.Reason);
    }

    [Fact]
    public async Task Valid_token_is_accepted_with_the_system_clock()
    {
        var token = StreamTokenIssuer.Issue(Secret, StreamAccess.Pull, StreamId, TimeSpan.FromMinutes(1));
        Assert.True((await new StreamTokenValidator(Secret).ValidateAsync(token, StreamAccess.Pull, StreamId)).IsValid);
    }

    [Fact]
    public async Task Token_for_another_stream_is_rejected()
    {
        var token = new StreamTokenIssuer(Secret, Clock()).Issue(StreamAccess.Push, "other", TimeSpan.FromMinutes(5));
        Assert.False((await Check(token)).IsValid);
        Assert.False((await Check(token, streamId: StreamId + "x")).IsValid);
    }

    [Fact]
    public async Task Pull_token_does_not_grant_push_and_vice_versa()
    {
        var issuer = new StreamTokenIssuer(Secret, Clock());
        var pull = issuer.Issue(StreamAccess.Pull, StreamId, TimeSpan.FromMinutes(5));
        var push = issuer.Issue(StreamAccess.Push, StreamId, TimeSpan.FromMinutes(5));
        Assert.False((await Check(pull, StreamAccess.Push)).IsValid);
        Assert.False((await Check(push, StreamAccess.Pull)).IsValid);
    }

    [Fact]
    public async Task Token_signed_with_another_secret_is_rejected()
    {
        var token = new StreamTokenIssuer("another-secret", Clock()).Issue(StreamAccess.Push, StreamId, TimeSpan.FromMinutes(5));
        Assert.False((await Check(token)).IsValid);
        // ...including a secret that is the right one zero-padded differently (a prefix).
        var prefix = new StreamTokenIssuer("secre", Clock()).Issue(StreamAccess.Push, StreamId, TimeSpan.FromMinutes(5));
        Assert.False((await Check(prefix, secret: "secret")).IsValid);
    }

    [Fact]
    public async Task Huge_token_is_rejected()
    {
        var token = HandMade(SecurityAlgorithms.HmacSha256, Encoding.UTF8.GetBytes(Secret), ExpIn(TimeSpan.FromMinutes(1)), sub: "PUSH:" + new string('x', 5000));
        var check = await Check(token, streamId: new string('x', 5000));
        Assert.False(check.IsValid);
        Assert.False((await Check(new string('a', 100_000))).IsValid);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("a.b.c")]
    [InlineData("...")]
    [InlineData("eyJhbGciOiJIUzI1NiJ9.e30.")]
    [InlineData("%%%.%%%.%%%")]
    [InlineData("")]
    [InlineData(null)]
    public async Task Garbage_is_rejected(string? token)
    {
        var check = await Check(token);
        Assert.False(check.IsValid);
        Assert.NotNull(check.Reason);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public async Task Empty_secret_disables_validation(string? secret)
    {
        var validator = new StreamTokenValidator(secret);
        Assert.False(validator.IsEnabled);
        Assert.True((await validator.ValidateAsync(null, StreamAccess.Push, StreamId)).IsValid);
        Assert.True((await validator.ValidateAsync("garbage", StreamAccess.Pull, StreamId)).IsValid);
        Assert.True(new StreamTokenValidator(Secret).IsEnabled);
    }

    [Fact]
    public void Issuer_needs_a_secret()
    {
        Assert.Throws<ArgumentException>(() => new StreamTokenIssuer(""));
        Assert.Throws<ArgumentNullException>(() => new StreamTokenIssuer(null!));
    }

    [Theory]
    [InlineData("secret")]
    [InlineData("s")]
    [InlineData("0123456789abcdef0123456789abcde")]
    [InlineData("0123456789abcdef0123456789abcdef")]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde")]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef!")]
    [InlineData("päss wörd")]
    public async Task Short_secrets_sign_like_plain_hmac_over_the_raw_secret(string secret)
    {
        var token = new StreamTokenIssuer(secret, Clock()).Issue(StreamAccess.Push, StreamId, TimeSpan.FromMinutes(5));
        var parts = token.Split('.');
        Assert.Equal(3, parts.Length);

        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]));
        Assert.Equal(Base64Url(expected), parts[2]);

        Assert.True((await Check(token, secret: secret)).IsValid);
    }

    [Theory]
    [InlineData("secret", "HS256")]
    [InlineData("secret", "HS384")]
    [InlineData("secret", "HS512")]
    [InlineData("x", "HS512")]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef", "HS512")]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "HS384")]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef!", "HS256")]
    public async Task Tokens_signed_the_go_way_with_the_raw_short_secret_are_accepted(string secret, string alg)
    {
        var header = Base64UrlJson($"{{\"alg\":\"{alg}\",\"typ\":\"JWT\"}}");
        var payload = Base64UrlJson($"{{\"exp\":{ExpIn(TimeSpan.FromMinutes(1))},\"sub\":\"PULL:s\"}}");
        var key = Encoding.UTF8.GetBytes(secret);
        var data = Encoding.ASCII.GetBytes(header + "." + payload);
        var signature = alg switch
        {
            "HS256" => HMACSHA256.HashData(key, data),
            "HS384" => HMACSHA384.HashData(key, data),
            _ => HMACSHA512.HashData(key, data),
        };
        var token = header + "." + payload + "." + Base64Url(signature);
        Assert.True((await Check(token, StreamAccess.Pull, "s", secret)).IsValid);
        Assert.False((await Check(token, StreamAccess.Pull, "s", secret + "!")).IsValid);
    }

    [Fact]
    public void Validator_rejects_negative_clock_skew() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new StreamTokenValidator(Secret, TimeSpan.FromSeconds(-1)));

    [Fact]
    public async Task Clock_skew_extends_expiry_when_configured()
    {
        var clock = Clock();
        var token = new StreamTokenIssuer(Secret, clock).Issue(StreamAccess.Push, StreamId, TimeSpan.FromSeconds(10));
        var validator = new StreamTokenValidator(Secret, TimeSpan.FromSeconds(30), clock);
        clock.Advance(TimeSpan.FromSeconds(20));
        Assert.True((await validator.ValidateAsync(token, StreamAccess.Push, StreamId)).IsValid);
        clock.Advance(TimeSpan.FromSeconds(30));
        Assert.False((await validator.ValidateAsync(token, StreamAccess.Push, StreamId)).IsValid);
    }
}

internal sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
