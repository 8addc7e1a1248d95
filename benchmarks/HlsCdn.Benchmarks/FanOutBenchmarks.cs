using BenchmarkDotNet.Attributes;
using HlsCdn.Node.Configuration;
using HlsCdn.Node.Streams;
using Microsoft.Extensions.Options;

namespace HlsCdn.Benchmarks;

/// <summary>
/// The fan-out hot path: one fragment published into a stream with N spectators. The memory diagnoser shows what a
/// publish allocates; it must not grow with N (nothing per spectator per fragment).
/// </summary>
[MemoryDiagnoser]
public class FanOutBenchmarks
{
    private readonly byte[] _payload = new byte[500_000];
    private LiveStream _stream = null!;
    private Source _source = null!;

    [Params(1, 100, 1000)]
    public int Spectators { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var options = Options.Create(new NodeOptions { FragmentBufferMaxLength = 10 });
        var directory = new StreamDirectory(options, new BufferMemoryBudget(long.MaxValue), TimeProvider.System);
        _source = new Source();
        _stream = directory.Attach("bench", _source);
        for (var i = 0; i < Spectators; i++)
        {
            _stream.TryAddSpectator(new CountingSpectator(), 0);
        }
    }

    [Benchmark]
    public bool PublishOneFragment() => _stream.Publish(_source, _payload, 1.0);

    private sealed class Source : IStreamSource
    {
        public StreamSourceKind Kind => StreamSourceKind.Local;

        public string? Upstream => null;

        public void OnTakenOver()
        {
        }
    }

    // Stands for a connection's bounded queue: takes the shared fragment reference, copies nothing.
    private sealed class CountingSpectator : IStreamSpectator
    {
        private Fragment? _last;

        public void Enqueue(Fragment fragment) => _last = fragment;

        public void OnStreamEnded(LiveStreamEndReason reason) => _last = null;

        public long LowestUnsentSequence => long.MaxValue;

        public void JoinedAt(long sequence)
        {
        }

        public long FragmentsSent => 0;

        public long BytesSent => 0;
    }
}
