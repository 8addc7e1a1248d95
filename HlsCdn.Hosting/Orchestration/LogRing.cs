namespace HlsCdn.Hosting.Orchestration;

/// <summary>One console line of a resource.</summary>
public sealed record LogLine(long Sequence, DateTimeOffset Time, bool IsError, string Text);

/// <summary>The last N console lines of a resource; old lines are dropped. Thread-safe.</summary>
public sealed class LogRing
{
    private readonly LogLine[] _lines;
    private readonly Lock _lock = new();
    private long _next;

    public LogRing(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _lines = new LogLine[capacity];
    }

    public int Capacity => _lines.Length;

    /// <summary>Sequence number the next line will get (total lines ever written).</summary>
    public long NextSequence
    {
        get
        {
            lock (_lock)
            {
                return _next;
            }
        }
    }

    public void Add(string text, bool isError = false)
    {
        lock (_lock)
        {
            _lines[_next % _lines.Length] = new LogLine(_next, DateTimeOffset.UtcNow, isError, text);
            _next++;
        }
    }

    /// <summary>The kept lines whose sequence is at least <paramref name="fromSequence"/>, oldest first.</summary>
    public IReadOnlyList<LogLine> Snapshot(long fromSequence = 0)
    {
        lock (_lock)
        {
            var first = Math.Max(Math.Max(fromSequence, 0), _next - _lines.Length);
            var result = new List<LogLine>((int)Math.Max(0, _next - first));
            for (var seq = first; seq < _next; seq++)
            {
                result.Add(_lines[seq % _lines.Length]);
            }

            return result;
        }
    }
}
