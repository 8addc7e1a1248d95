using System.Net;
using HlsCdn.Tester.Spectating;

namespace HlsCdn.Tester.Tests;

/// <summary>The spectate page's link shaping (<c>spectate --shape-link</c>): the Link menu's endpoint and its checks.</summary>
public sealed class SpectateServerTests
{
    private static readonly Uri Node = new("ws://127.0.0.1:9/");

    [Fact]
    public async Task The_link_endpoint_sets_and_lifts_the_limit_and_names_a_bad_value()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await SpectateServer.StartAsync(new SpectateSettings(Node, "s", null, "t") { ShapeLink = true }, ct);
        using var http = new HttpClient { BaseAddress = server.PageUrl };
        Assert.Null(server.Link!.BitsPerSecond);

        using (var set = await http.PostAsync("link?kbps=450", null, ct))
        {
            Assert.Equal(HttpStatusCode.NoContent, set.StatusCode);
        }

        Assert.Equal(450_000, server.Link.BitsPerSecond);

        foreach (var bad in new[] { "abc", "-5", "1", "99999999", "4.5", string.Empty })
        {
            using var response = await http.PostAsync($"link?kbps={bad}", null, ct);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("kbps must be 'off' or a whole number", await response.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        }

        Assert.Equal(450_000, server.Link.BitsPerSecond);
        using (var off = await http.PostAsync("link?kbps=off", null, ct))
        {
            Assert.Equal(HttpStatusCode.NoContent, off.StatusCode);
        }

        Assert.Null(server.Link.BitsPerSecond);

        // The page pulls through the relay, not from the node, and shows the Link menu.
        var page = await http.GetStringAsync("/", ct);
        Assert.Contains("\"link\":true", page, StringComparison.Ordinal);
        Assert.DoesNotContain("127.0.0.1:9/", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_shaping_there_is_no_link_endpoint_and_the_page_pulls_from_the_node()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await SpectateServer.StartAsync(new SpectateSettings(Node, "s", null, "t"), ct);
        using var http = new HttpClient { BaseAddress = server.PageUrl };
        Assert.Null(server.Link);
        using var response = await http.PostAsync("link?kbps=450", null, ct);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var page = await http.GetStringAsync("/", ct);
        Assert.Contains("\"url\":\"ws://127.0.0.1:9/\"", page, StringComparison.Ordinal);
        Assert.Contains("\"link\":false", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Shaping_the_link_of_a_page_served_beyond_loopback_is_refused()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(async () =>
            await SpectateServer.StartAsync(new SpectateSettings(Node, "s", null, "t", Bind: "0.0.0.0") { ShapeLink = true }, TestContext.Current.CancellationToken));
        Assert.Contains("--shape-link", error.Message, StringComparison.Ordinal);
        Assert.Contains("0.0.0.0", error.Message, StringComparison.Ordinal);
    }
}
