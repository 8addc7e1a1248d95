using System.IO.Hashing;

namespace HlsCdn.Node.Relays;

/// <summary>
/// Fingerprints (length + XxHash3) of the last fragments a relay published. After the relay reconnects, the upstream
/// sends its buffered fragments again; those already relayed are recognised here and skipped, so spectators never see
/// a fragment twice, whether the relay came back to the same source or failed over to a new one.
/// </summary>
internal sealed class RelayedFragmentLog(int capacity)
{
    private readonly (int Length, ulong Hash)[] _entries = new (int, ulong)[Math.Max(capacity, 1)];
    private int _next;
    private int _count;

    public static (int Length, ulong Hash) Fingerprint(ReadOnlySpan<byte> data) => (data.Length, XxHash3.HashToUInt64(data));

    public bool Contains((int Length, ulong Hash) fingerprint)
    {
        for (var i = 0; i < _count; i++)
        {
            if (_entries[i] == fingerprint)
            {
                return true;
            }
        }

        return false;
    }

    public void Add((int Length, ulong Hash) fingerprint)
    {
        _entries[_next] = fingerprint;
        _next = (_next + 1) % _entries.Length;
        _count = Math.Min(_count + 1, _entries.Length);
    }
}
