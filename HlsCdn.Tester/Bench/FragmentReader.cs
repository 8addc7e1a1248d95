namespace HlsCdn.Tester.Bench;

/// <summary>
/// Checks one received fragment as its bytes arrive, chunk by chunk, without copying it: the header is collected
/// (24 bytes), the rest compared in place against the shared pattern. One per spectator, reused for every fragment.
/// </summary>
public sealed class FragmentReader(FragmentPayload payload)
{
    private readonly byte[] _header = new byte[FragmentPayload.HeaderBytes];
    private long _offset;
    private bool _headerValid;
    private bool _bodyMatches;
    private int _sequence;
    private long _timestamp;

    /// <summary>The header's sequence number (meaningful when <see cref="HeaderValid"/>).</summary>
    public int Sequence => _sequence;

    /// <summary>The publisher's send timestamp from the header.</summary>
    public long Timestamp => _timestamp;

    /// <summary>The header is ours: magic and length as expected.</summary>
    public bool HeaderValid => _headerValid;

    /// <summary>Header valid, every byte as sent, and exactly the fragment's length.</summary>
    public bool IsExact => _headerValid && _bodyMatches && _offset == payload.Size;

    /// <summary>Starts a new fragment.</summary>
    public void Begin()
    {
        _offset = 0;
        _headerValid = false;
        _bodyMatches = true;
        _sequence = -1;
        _timestamp = 0;
    }

    /// <summary>Takes the next bytes of the fragment.</summary>
    public void Accept(ReadOnlySpan<byte> chunk)
    {
        if (_offset < FragmentPayload.HeaderBytes)
        {
            var n = (int)Math.Min(FragmentPayload.HeaderBytes - _offset, chunk.Length);
            chunk[..n].CopyTo(_header.AsSpan((int)_offset));
            _offset += n;
            chunk = chunk[n..];
            if (_offset == FragmentPayload.HeaderBytes)
            {
                _headerValid = payload.TryReadHeader(_header, out _sequence, out _timestamp);
            }
        }

        if (chunk.IsEmpty)
        {
            return;
        }

        if (_headerValid && _bodyMatches)
        {
            _bodyMatches = _offset <= payload.Size && payload.BodyMatches(chunk, (int)_offset, _sequence);
        }

        _offset += chunk.Length;
    }
}
