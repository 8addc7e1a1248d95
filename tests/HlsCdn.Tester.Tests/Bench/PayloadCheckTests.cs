using System.Diagnostics;
using HlsCdn.Tester.Bench;

namespace HlsCdn.Tester.Tests.Bench;

/// <summary>The per-spectator checks: a fragment is exact only if every byte and the length match, however it is chunked.</summary>
public sealed class PayloadCheckTests
{
    private const int Size = 1000;
    private readonly FragmentPayload _payload = new(Size);

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(24)]
    [InlineData(25)]
    [InlineData(1000)]
    public void A_fragment_received_in_any_chunking_is_exact(int chunk)
    {
        var reader = Read(Fragment(5), chunk);
        Assert.True(reader.IsExact);
        Assert.Equal(5, reader.Sequence);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(23)]
    [InlineData(24)]
    [InlineData(500)]
    [InlineData(999)]
    public void One_flipped_byte_anywhere_is_caught(int at)
    {
        var fragment = Fragment(3);
        fragment[at] ^= 1;
        Assert.False(Read(fragment, 64).IsExact);
    }

    [Fact]
    public void Short_and_long_fragments_are_caught()
    {
        Assert.False(Read(Fragment(1)[..^1], 64).IsExact);
        Assert.False(Read([.. Fragment(1), 0], 64).IsExact);
    }

    [Fact]
    public void Another_fragments_body_under_this_header_is_caught()
    {
        var fragment = Fragment(7);
        Fragment(8).AsSpan(FragmentPayload.HeaderBytes).CopyTo(fragment.AsSpan(FragmentPayload.HeaderBytes));
        Assert.False(Read(fragment, 64).IsExact);
    }

    [Fact]
    public void The_tally_counts_duplicates_reordering_corruption_and_loss()
    {
        var tally = new SpectatorTally(6);
        foreach (var sequence in new[] { 0, 2, 1, 2 })
        {
            tally.Record(Read(Fragment(sequence), 100), Stopwatch.GetTimestamp());
        }

        var corrupt = Fragment(3);
        corrupt[100] ^= 0xFF;
        tally.Record(Read(corrupt, 100), Stopwatch.GetTimestamp());

        Assert.Equal(3, tally.Delivered);
        Assert.Equal(1, tally.Duplicates);
        Assert.Equal(1, tally.OutOfOrder);
        Assert.Equal(1, tally.Corrupt);
        Assert.Equal(2, tally.Lost);
        Assert.Equal(3, tally.Latencies.Length);
    }

    [Fact]
    public void A_tally_keeps_only_as_many_latencies_as_asked_but_counts_everything()
    {
        var tally = new SpectatorTally(1_000, latencyCapacity: 1);
        foreach (var sequence in new[] { 10, 11, 12 })
        {
            tally.Record(Read(Fragment(sequence), 100), Stopwatch.GetTimestamp());
        }

        Assert.Equal(3, tally.Delivered);
        Assert.Equal(1, tally.Latencies.Length);
        Assert.Equal(997, tally.Lost);
    }

    [Fact]
    public void Proc_stat_and_status_are_parsed_with_a_command_name_holding_spaces_and_parentheses()
    {
        const string stat = "4242 (my (odd) server) S 1 4242 4242 0 -1 4194560 1234 0 0 0 250 75 0 0 20 0 9 0 100 123456789 3000 18446744073709551615";
        const string status = "Name:\tserver\nVmPeak:\t  200000 kB\nVmRSS:\t   51200 kB\nThreads:\t9\n";

        var parsed = ProcStat.Parse(stat, status);

        Assert.Equal(new ProcStat(250, 75, 51200L * 1024), parsed);
        Assert.Null(ProcStat.Parse("garbage", status));
        Assert.Null(ProcStat.Parse(stat, "Name:\tx\n"));
    }

    [Fact]
    public void Percentiles_are_nearest_rank()
    {
        var summary = LatencySummary.From([5, 1, 4, 2, 3, 6, 7, 8, 9, 10]);
        Assert.Equal(5, summary.P50);
        Assert.Equal(9, summary.P90);
        Assert.Equal(10, summary.P99);
        Assert.Equal(10, summary.Max);
        Assert.Equal(5.5, summary.Mean);
        Assert.Equal(1, summary.Quantiles[^1].P);
    }

    private byte[] Fragment(int sequence)
    {
        var bytes = new byte[Size];
        _payload.WriteBody(bytes, sequence);
        _payload.WriteHeader(bytes, sequence, Stopwatch.GetTimestamp());
        return bytes;
    }

    private FragmentReader Read(byte[] fragment, int chunk)
    {
        var reader = new FragmentReader(_payload);
        reader.Begin();
        for (var at = 0; at < fragment.Length; at += chunk)
        {
            reader.Accept(fragment.AsSpan(at, Math.Min(chunk, fragment.Length - at)));
        }

        return reader;
    }
}
