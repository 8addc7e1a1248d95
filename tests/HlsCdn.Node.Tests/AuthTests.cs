using System.Security.Cryptography;
using System.Text;
using HlsCdn.Protocol;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.Tokens;

namespace HlsCdn.Node.Tests;

public sealed class AuthTests
{
    private const string PushSecret = "push-secret-for-tests-0123456789abcdef";
    private const string PullSecret = "pull-secret-for-tests-0123456789abcdef";

    private static Task<TestNode> StartSecuredAsync() => TestNode.StartAsync(TestData.Settings(
        ("Node:PushSecret", PushSecret),
        ("Node:PullSecret", PullSecret)));

    private static string Token(string secret, StreamAccess access, string stream, TimeSpan? lifetime = null) =>
        StreamTokenIssuer.Issue(secret, access, stream, lifetime ?? TimeSpan.FromMinutes(5));

    [Fact]
    public async Task Valid_tokens_are_accepted()
    {
        await using var node = await StartSecuredAsync();
        var stream = TestData.StreamId();
        await using var publisher = await RawPeer.PushAsync(node.WebSocketUrl, stream, Token(PushSecret, StreamAccess.Push, stream));
        await using var spectator = await RawPeer.PullAsync(node.WebSocketUrl, stream, Token(PullSecret, StreamAccess.Pull, stream));
        await publisher.SendFragmentAsync([7]);
        Assert.Equal([7], (await spectator.ReceiveFragmentAsync()).Data);
    }

    public static TheoryData<string, string?> BadPushTokens()
    {
        var stream = "s";
        var expired = new StreamTokenIssuer(PushSecret, new FakeTimeProvider(DateTimeOffset.UtcNow.AddHours(-2))).Issue(StreamAccess.Push, stream, TimeSpan.FromMinutes(1));
        return new TheoryData<string, string?>
        {
            { "missing", null },
            { "garbage", "not-a-jwt" },
            { "other secret", Token("another-secret-entirely-0123456789", StreamAccess.Push, stream) },
            { "pull secret", Token(PullSecret, StreamAccess.Push, stream) },
            { "pull token", Token(PushSecret, StreamAccess.Pull, stream) },
            { "other stream", Token(PushSecret, StreamAccess.Push, "other") },
            { "expired", expired },
            { "none alg", "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiJQVVNIOnMiLCJleHAiOjQxMDI0NDQ4MDB9." },
        };
    }

    [Theory]
    [MemberData(nameof(BadPushTokens))]
    public async Task Bad_push_tokens_get_AUTH_ERROR(string why, string? token)
    {
        Assert.NotNull(why);
        await using var node = await StartSecuredAsync();
        await using var peer = await RawPeer.ConnectAsync(node.WebSocketUrl);
        await peer.SendTextAsync(Messages.Push("s", token));
        await peer.ExpectErrorAsync(ErrorCodes.AuthError);
    }

    [Fact]
    public async Task Push_token_does_not_grant_pull()
    {
        await using var node = await StartSecuredAsync();
        await using var peer = await RawPeer.ConnectAsync(node.WebSocketUrl);
        await peer.SendTextAsync(Messages.Pull("s", Token(PushSecret, StreamAccess.Push, "s")));
        await peer.ExpectErrorAsync(ErrorCodes.AuthError);
    }

    // An HS256 token signed by hand over the raw secret, with the payload exactly as given (as an original peer may send it).
    private static string HandSigned(string secret, string payloadJson)
    {
        var header = Base64UrlEncoder.Encode("""{"alg":"HS256","typ":"JWT"}""");
        var payload = Base64UrlEncoder.Encode(payloadJson);
        var signature = Base64UrlEncoder.Encode(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.ASCII.GetBytes(header + "." + payload)));
        return header + "." + payload + "." + signature;
    }

    private static long InAnHour => DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds();

    [Theory]
    [InlineData("exp")]
    [InlineData("nbf")]
    [InlineData("iat")]
    public async Task Push_token_with_a_string_date_gets_AUTH_ERROR_and_creates_no_stream(string claim)
    {
        await using var node = await StartSecuredAsync();
        var stream = TestData.StreamId();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var dates = claim switch
        {
            "exp" => $"\"exp\":\"{InAnHour}\"",
            "nbf" => $"\"exp\":{InAnHour},\"nbf\":\"{now - 60}\"",
            _ => $"\"exp\":{InAnHour},\"iat\":\"{now - 60}\"",
        };
        await using (var publisher = await RawPeer.ConnectAsync(node.WebSocketUrl))
        {
            await publisher.SendTextAsync(Messages.Push(stream, HandSigned(PushSecret, $"{{\"sub\":\"PUSH:{stream}\",{dates}}}")));
            await publisher.ExpectErrorAsync(ErrorCodes.AuthError);
        }

        // No stream was created: a spectator is told OK then CLOSE (not found).
        await using var spectator = await RawPeer.PullAsync(node.WebSocketUrl, stream, Token(PullSecret, StreamAccess.Pull, stream));
        await spectator.ExpectCloseAsync();
    }

    [Fact]
    public async Task Pull_token_with_a_string_exp_gets_AUTH_ERROR()
    {
        await using var node = await StartSecuredAsync();
        var stream = TestData.StreamId();
        await using var publisher = await RawPeer.PushAsync(node.WebSocketUrl, stream, Token(PushSecret, StreamAccess.Push, stream));
        await using var peer = await RawPeer.ConnectAsync(node.WebSocketUrl);
        await peer.SendTextAsync(Messages.Pull(stream, HandSigned(PullSecret, $"{{\"sub\":\"PULL:{stream}\",\"exp\":\"{InAnHour}\"}}")));
        await peer.ExpectErrorAsync(ErrorCodes.AuthError);
    }

    [Fact]
    public async Task Hand_signed_token_with_numeric_dates_is_accepted()
    {
        await using var node = await StartSecuredAsync();
        var stream = TestData.StreamId();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        await using var publisher = await RawPeer.PushAsync(node.WebSocketUrl, stream, HandSigned(PushSecret, $"{{\"sub\":\"PUSH:{stream}\",\"exp\":{InAnHour},\"nbf\":{now - 60},\"iat\":{now - 60}}}"));
        await publisher.SendTextAsync("CLOSE");
    }
}
