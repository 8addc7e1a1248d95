using HlsCdn.Protocol;
using Microsoft.Extensions.Logging;

namespace HlsCdn.Node.Tests;

public sealed class SecretTests
{
    private const string WeakPushSecret = "weak-push-Zq81";
    private const string PullSecret = "pull-secret-long-enough-0123456789-Xk2m";

    [Fact]
    public async Task Secrets_are_never_logged_nor_served_and_a_weak_one_is_warned_about()
    {
        var logs = new CapturingLoggerProvider();
        var node = await TestNode.StartAsync(
            TestData.Settings(("Node:PushSecret", WeakPushSecret), ("Node:PullSecret", PullSecret)),
            configure: b =>
            {
                b.Logging.AddProvider(logs);
                b.Logging.SetMinimumLevel(LogLevel.Trace);
            });
        var stream = TestData.StreamId();
        var pushToken = StreamTokenIssuer.Issue(WeakPushSecret, StreamAccess.Push, stream, TimeSpan.FromMinutes(5));
        var pullToken = StreamTokenIssuer.Issue(PullSecret, StreamAccess.Pull, stream, TimeSpan.FromMinutes(5));
        string nodeJson, streamsJson;
        await using (node)
        {
            await using var publisher = await RawPeer.PushAsync(node.WebSocketUrl, stream, pushToken);
            await using var spectator = await RawPeer.PullAsync(node.WebSocketUrl, stream, pullToken);
            await publisher.SendFragmentAsync([1, 2, 3]);
            await spectator.ReceiveFragmentAsync();

            // A refused token is logged as a reason, never as the token.
            await using (var refused = await RawPeer.ConnectAsync(node.WebSocketUrl))
            {
                await refused.SendTextAsync(Messages.Pull(stream, pushToken));
                await refused.ExpectErrorAsync(ErrorCodes.AuthError);
            }

            using var http = new HttpClient();
            nodeJson = await http.GetStringAsync(new Uri(node.HttpUrl, "api/node"), TestContext.Current.CancellationToken);
            streamsJson = await http.GetStringAsync(new Uri(node.HttpUrl, "api/streams"), TestContext.Current.CancellationToken);
            await publisher.SendTextAsync("CLOSE");
            await spectator.ExpectCloseAsync();
        }

        Assert.Contains(stream, streamsJson, StringComparison.Ordinal);
        foreach (var secret in new[] { WeakPushSecret, PullSecret, pushToken, pullToken })
        {
            Assert.DoesNotContain(secret, nodeJson, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, streamsJson, StringComparison.Ordinal);
            Assert.DoesNotContain(logs.Entries, e => e.Text.Contains(secret, StringComparison.Ordinal));
        }

        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Warning && e.Text.Contains("Node:PushSecret (PUSH_SECRET) is shorter than 32 bytes", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Entries, e => e.Text.Contains("Node:PullSecret (PULL_SECRET)", StringComparison.Ordinal));
        Assert.True(logs.Entries.Count > 10, "the node logged at Trace level");
    }

    [Fact]
    public async Task An_empty_secret_is_warned_about()
    {
        var logs = new CapturingLoggerProvider();
        await using var node = await TestNode.StartAsync(
            TestData.Settings(("Node:PushSecret", PullSecret)),
            configure: b => b.Logging.AddProvider(logs));
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Warning && e.Text.Contains("Node:PullSecret (PULL_SECRET) is empty", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Entries, e => e.Text.Contains(PullSecret, StringComparison.Ordinal));
    }
}
