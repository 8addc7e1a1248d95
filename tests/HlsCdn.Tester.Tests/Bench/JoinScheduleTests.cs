using HlsCdn.Tester.Bench;

namespace HlsCdn.Tester.Tests.Bench;

public sealed class JoinScheduleTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    [Fact]
    public void With_the_spacing_equal_to_the_interval_the_joins_of_a_run_still_meet_every_tenth_of_the_fragment_cycle()
    {
        var tenths = Enumerable.Range(0, 50)
            .Select(i => JoinSchedule.StartOf(i, Interval, Interval).Ticks % Interval.Ticks * 10 / Interval.Ticks)
            .ToHashSet();

        Assert.Equal(Enumerable.Range(0, 10).Select(t => (long)t).ToHashSet(), tenths);
    }

    [Theory]
    [InlineData(100)]
    [InlineData(20)]
    [InlineData(0)]
    public void A_join_is_shifted_by_at_most_one_interval_from_where_the_spacing_alone_would_put_it(double spacingMilliseconds)
    {
        var spacing = TimeSpan.FromMilliseconds(spacingMilliseconds);
        for (var i = 0; i < 1000; i++)
        {
            Assert.InRange(JoinSchedule.StartOf(i, spacing, Interval), spacing * i, (spacing * i) + Interval);
        }
    }

    [Theory]
    [InlineData(100)]
    [InlineData(250)]
    public void With_the_spacing_at_least_the_interval_joins_stay_in_order(double spacingMilliseconds)
    {
        var spacing = TimeSpan.FromMilliseconds(spacingMilliseconds);
        for (var i = 1; i < 1000; i++)
        {
            Assert.True(JoinSchedule.StartOf(i, spacing, Interval) > JoinSchedule.StartOf(i - 1, spacing, Interval), $"join {i} starts before join {i - 1}");
        }
    }

    [Fact]
    public void The_first_join_is_not_shifted()
    {
        Assert.Equal(TimeSpan.Zero, JoinSchedule.StartOf(0, Interval, Interval));
    }

    [Fact]
    public void A_negative_join_number_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => JoinSchedule.StartOf(-1, Interval, Interval));
    }
}
