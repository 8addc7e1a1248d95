using System.Buffers.Binary;
using System.Text;

namespace HlsCdn.Protocol;

/// <summary>
/// RFC 6455 frame headers as a server writes them (section 5.2): FIN set, no extension bits, unmasked. A node encodes
/// a message's header once and writes it in front of the payload, so one fragment's frames are prepared once and
/// shared by every spectator (as gorilla/websocket's PreparedMessage does).
/// </summary>
public static class WebSocketFrame
{
    /// <summary>The longest unmasked frame header: 2 bytes plus a 64-bit length.</summary>
    public const int MaxHeaderLength = 10;

    /// <summary>Opcode of a text frame.</summary>
    public const byte TextOpcode = 0x1;

    /// <summary>Opcode of a binary frame.</summary>
    public const byte BinaryOpcode = 0x2;

    /// <summary>The length of the header <see cref="WriteHeader"/> writes for a payload of <paramref name="payloadLength"/> bytes.</summary>
    public static int HeaderLength(long payloadLength) => payloadLength switch
    {
        < 0 => throw new ArgumentOutOfRangeException(nameof(payloadLength)),
        <= 125 => 2,
        <= ushort.MaxValue => 4,
        _ => 10,
    };

    /// <summary>Writes a final, unmasked frame header for <paramref name="opcode"/> and returns its length.</summary>
    public static int WriteHeader(Span<byte> destination, byte opcode, long payloadLength)
    {
        if (opcode > 0xF)
        {
            throw new ArgumentOutOfRangeException(nameof(opcode), opcode, "An opcode is 4 bits.");
        }

        var length = HeaderLength(payloadLength);
        destination[0] = (byte)(0x80 | opcode);
        switch (length)
        {
            case 2:
                destination[1] = (byte)payloadLength;
                break;
            case 4:
                destination[1] = 126;
                BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)payloadLength);
                break;
            default:
                destination[1] = 127;
                BinaryPrimitives.WriteUInt64BigEndian(destination[2..], (ulong)payloadLength);
                break;
        }

        return length;
    }

    /// <summary>A whole text frame (header and UTF-8 payload) carrying <paramref name="text"/>.</summary>
    public static byte[] Text(string text)
    {
        var payloadLength = Encoding.UTF8.GetByteCount(text);
        var frame = new byte[HeaderLength(payloadLength) + payloadLength];
        var header = WriteHeader(frame, TextOpcode, payloadLength);
        Encoding.UTF8.GetBytes(text, frame.AsSpan(header));
        return frame;
    }

    /// <summary>
    /// A text frame carrying <paramref name="text"/> followed by the header of a binary frame of
    /// <paramref name="binaryLength"/> bytes: written in front of the binary payload, the two make one protocol
    /// message pair (<c>F:duration=D</c> and its fragment) in a single gather write.
    /// </summary>
    public static byte[] TextThenBinaryHeader(string text, long binaryLength)
    {
        var textLength = Encoding.UTF8.GetByteCount(text);
        var textHeader = HeaderLength(textLength);
        var bytes = new byte[textHeader + textLength + HeaderLength(binaryLength)];
        WriteHeader(bytes, TextOpcode, textLength);
        Encoding.UTF8.GetBytes(text, bytes.AsSpan(textHeader));
        WriteHeader(bytes.AsSpan(textHeader + textLength), BinaryOpcode, binaryLength);
        return bytes;
    }
}
