using HlsCdn.Protocol;
using static HlsCdn.Client.Tests.TestUtil;

namespace HlsCdn.Client.Tests;

/// <summary>Code written against the names the client shipped with (StreamSubscriber, its options and StreamEndReason) still compiles and works.</summary>
#pragma warning disable CS0618 // the obsolete names are what is tested here
public class ObsoleteNamesTests
{
    [Fact]
    public async Task StreamSubscriber_still_pulls_and_reports_its_end_with_StreamEndReason()
    {
        await using var server = await ScriptedServer.StartAsync(async (c, _) =>
        {
            var pull = await c.ReceiveMessageAsync();
            Assert.Equal(MessageTypes.Pull, pull.Type);
            await c.SendTextAsync(Messages.Ok);
            await c.SendFragmentAsync("1", [7]);
            await c.SendTextAsync(Messages.Close);
            await c.DrainAsync();
        });
        await using var subscriber = new StreamSubscriber(new StreamSubscriberOptions { Url = server.Url, StreamId = StreamId, PullSecret = PullSecret });
        var received = new List<ReceivedFragment>();
        await foreach (var fragment in subscriber.ReadFragmentsAsync(Timeout()))
        {
            received.Add(fragment);
        }

        Assert.Equal(new byte[] { 7 }, Assert.Single(received).Data.ToArray());
        Assert.True(subscriber.Ended);
        Assert.Equal(StreamEndReason.StreamClosed, subscriber.EndReason);
        StreamSpectator spectator = subscriber;
        Assert.Equal(SpectatorEndReason.StreamClosed, spectator.EndReason);
    }

    [Fact]
    public void StreamEndReason_has_the_members_and_values_of_SpectatorEndReason()
    {
        Assert.Equal(Enum.GetNames<SpectatorEndReason>(), Enum.GetNames<StreamEndReason>());
        foreach (var reason in Enum.GetValues<SpectatorEndReason>())
        {
            Assert.Equal(reason.ToString(), ((StreamEndReason)reason).ToString());
        }
    }

    [Fact]
    public void StreamSubscriberOptions_are_validated_as_before()
    {
        Assert.Throws<ArgumentException>(() => new StreamSubscriber(new StreamSubscriberOptions { Url = new Uri("http://x/"), StreamId = StreamId }));
    }
}
#pragma warning restore CS0618
