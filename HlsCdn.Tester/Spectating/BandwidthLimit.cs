namespace HlsCdn.Tester.Spectating;

/// <summary>
/// A token bucket over bytes, shared by every connection of one relay (one link): each chunk waits until the link has
/// carried the chunks before it at <see cref="BitsPerSecond"/>; a burst of at most <see cref="BurstBytes"/> passes at
/// once. The limit can change while running; null means unlimited.
/// </summary>
public sealed class BandwidthLimit
{
    /// <summary>Bytes that may pass at once after the link was idle.</summary>
    public const int BurstBytes = 16 * 1024;

    private readonly Lock _gate = new();
    private double? _bitsPerSecond;
    private DateTime _nextFreeUtc = DateTime.MinValue;

    /// <summary>The current limit in bit/s, null for none.</summary>
    public double? BitsPerSecond
    {
        get
        {
            lock (_gate)
            {
                return _bitsPerSecond;
            }
        }

        set
        {
            lock (_gate)
            {
                _bitsPerSecond = value;
                _nextFreeUtc = DateTime.MinValue;
            }
        }
    }

    /// <summary>Waits until <paramref name="bytes"/> may be sent.</summary>
    public async Task TakeAsync(int bytes, CancellationToken cancellationToken)
    {
        TimeSpan wait;
        lock (_gate)
        {
            if (_bitsPerSecond is not { } rate)
            {
                return;
            }

            var now = DateTime.UtcNow;
            var burst = TimeSpan.FromSeconds(BurstBytes * 8 / rate);
            if (_nextFreeUtc < now - burst)
            {
                _nextFreeUtc = now - burst;
            }

            _nextFreeUtc += TimeSpan.FromSeconds(bytes * 8 / rate);
            wait = _nextFreeUtc - now;
        }

        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
        }
    }
}
