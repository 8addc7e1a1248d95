using System.Collections.Concurrent;

namespace HlsCdn.Client.Tests;

internal static class TestUtil
{
    public const string PushSecret = "push-secret";
    public const string PullSecret = "pull-secret-that-is-a-bit-longer";
    public const string StreamId = "room/cam1/1280x720-30~2500000";

    public static readonly ReconnectBackoff FastBackoff = new() { Initial = TimeSpan.FromMilliseconds(50), Max = TimeSpan.FromMilliseconds(200), Jitter = 0 };

    public static CancellationToken Timeout(int seconds = 20)
    {
        var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(TimeSpan.FromSeconds(seconds));
        return cts.Token;
    }

    public static async Task WaitUntilAsync(Func<bool> condition, int seconds = 10)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("Condition not met in time.");
            }

            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }

    public static byte[] Bytes(int length, byte seed)
    {
        var data = new byte[length];
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = (byte)(seed + i);
        }

        return data;
    }

    /// <summary>Records state changes.</summary>
    public static ConcurrentQueue<StreamConnectionState> Record(StreamPublisher publisher)
    {
        var states = new ConcurrentQueue<StreamConnectionState>();
        publisher.StateChanged += (_, e) => states.Enqueue(e.State);
        return states;
    }
}
