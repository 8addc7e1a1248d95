using HlsCdn.Tester.Measuring;
using HlsCdn.Tester.Publishing;

namespace HlsCdn.Tester.Tests;

public sealed class MeasureTests
{
    [Fact]
    public void Delay_percentiles_are_nearest_rank()
    {
        var summary = DelaySummary.Of(Enumerable.Range(1, 100).Select(i => (double)i).Reverse());
        Assert.NotNull(summary);
        Assert.Equal(100, summary.Count);
        Assert.Equal(1, summary.Min);
        Assert.Equal(10, summary.P10);
        Assert.Equal(50, summary.P50);
        Assert.Equal(90, summary.P90);
        Assert.Equal(99, summary.P99);
        Assert.Equal(100, summary.Max);
        Assert.Equal(7, DelaySummary.Of([7])!.P50);
        Assert.Null(DelaySummary.Of([]));
        Assert.Null(DelaySummary.Of([double.NaN]));
    }

    [Fact]
    public void First_segment_duration_comes_from_its_frames_when_the_list_counts_ffmpegs_start_up()
    {
        var (_, data, duration) = ClipSegmentSource.LoadClip()[1];
        // The clip's second segment lasts 1 s (25 frames); a list that starts it 0.7 s earlier says 1.7 s.
        Assert.Equal(1.0, SegmentDuration.OfFirst(data, duration + TimeSpan.FromSeconds(0.7)).TotalSeconds, 2);
        // Never longer than the list says.
        Assert.Equal(0.5, SegmentDuration.OfFirst(data, TimeSpan.FromSeconds(0.5)).TotalSeconds, 6);
        Assert.Equal(3, SegmentDuration.OfFirst(new byte[10], TimeSpan.FromSeconds(3)).TotalSeconds);
    }
}
