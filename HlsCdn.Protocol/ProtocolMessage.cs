using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace HlsCdn.Protocol;

/// <summary>
/// A text message of the protocol: <c>TYPE</c> or <c>TYPE:query</c>, where the query is an URL query string.
/// The type is normalised to upper case; parameter names are case-sensitive, the first occurrence wins.
/// </summary>
public sealed class ProtocolMessage
{
    private static readonly KeyValuePair<string, string>[] NoParameters = [];

    private readonly KeyValuePair<string, string>[] _parameters;

    /// <summary>Creates a message of <paramref name="type"/> with the given parameters, in order.</summary>
    /// <exception cref="ArgumentException">The type is empty or has characters other than letters and digits.</exception>
    public ProtocolMessage(string type, params KeyValuePair<string, string>[] parameters)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (!IsValidType(type))
        {
            throw new ArgumentException($"Message type '{type}' must be non-empty ASCII letters and digits.", nameof(type));
        }

        Type = type.ToUpperInvariant();
        _parameters = parameters ?? NoParameters;
    }

    private ProtocolMessage(string normalisedType, KeyValuePair<string, string>[] parameters, bool _)
    {
        Type = normalisedType;
        _parameters = parameters;
    }

    /// <summary>The message type, upper case (e.g. <c>PUSH</c>, <c>F</c>).</summary>
    public string Type { get; }

    /// <summary>The parameters in the order they were given.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Parameters => _parameters;

    /// <summary>Whether this message is of <paramref name="type"/> (case-insensitive).</summary>
    public bool Is(string type) => string.Equals(Type, type, StringComparison.OrdinalIgnoreCase);

    /// <summary>The first value of parameter <paramref name="name"/>, or null.</summary>
    public string? Get(string name)
    {
        foreach (var p in _parameters)
        {
            if (string.Equals(p.Key, name, StringComparison.Ordinal))
            {
                return p.Value;
            }
        }

        return null;
    }

    /// <summary>Serialises the message to its wire form, percent-encoding parameter names and values.</summary>
    public override string ToString()
    {
        if (_parameters.Length == 0)
        {
            return Type;
        }

        var sb = new StringBuilder(Type.Length + 32);
        sb.Append(Type).Append(':');
        for (var i = 0; i < _parameters.Length; i++)
        {
            if (i > 0)
            {
                sb.Append('&');
            }

            sb.Append(Uri.EscapeDataString(_parameters[i].Key)).Append('=').Append(Uri.EscapeDataString(_parameters[i].Value));
        }

        return sb.ToString();
    }

    /// <summary>The wire form as UTF-8 bytes.</summary>
    public byte[] ToUtf8Bytes() => Encoding.UTF8.GetBytes(ToString());

    /// <summary>Parses a text message received as UTF-8.</summary>
    /// <returns>False when the bytes are not valid UTF-8, exceed the text limit, or the type is malformed.</returns>
    public static bool TryParse(ReadOnlySpan<byte> utf8, [NotNullWhen(true)] out ProtocolMessage? message)
    {
        message = null;
        if (utf8.Length > ProtocolLimits.MaxTextMessageBytes)
        {
            return false;
        }

        string text;
        try
        {
            text = StrictUtf8.GetString(utf8);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }

        return TryParse(text, out message);
    }

    /// <summary>Parses a text message.</summary>
    /// <returns>False when the text exceeds the limit or the type is malformed.</returns>
    public static bool TryParse(string? text, [NotNullWhen(true)] out ProtocolMessage? message)
    {
        message = null;
        if (text is null || text.Length == 0 || Encoding.UTF8.GetByteCount(text) > ProtocolLimits.MaxTextMessageBytes)
        {
            return false;
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var type = colon < 0 ? text : text[..colon];
        if (!IsValidType(type))
        {
            return false;
        }

        var parameters = colon < 0 ? NoParameters : ParseQuery(text.AsSpan(colon + 1));
        message = new ProtocolMessage(type.ToUpperInvariant(), parameters, false);
        return true;
    }

    /// <summary>Parses a text message, throwing <see cref="FormatException"/> when it is malformed.</summary>
    public static ProtocolMessage Parse(string text) =>
        TryParse(text, out var message) ? message : throw new FormatException($"'{Truncate(text)}' is not a protocol message.");

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static bool IsValidType(string type)
    {
        if (type.Length == 0 || type.Length > 32)
        {
            return false;
        }

        foreach (var c in type)
        {
            if (!char.IsAsciiLetterOrDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    private static KeyValuePair<string, string>[] ParseQuery(ReadOnlySpan<char> query)
    {
        if (query.IsEmpty)
        {
            return NoParameters;
        }

        var list = new List<KeyValuePair<string, string>>(4);
        foreach (var range in query.Split('&'))
        {
            var pair = query[range];
            if (pair.IsEmpty)
            {
                continue;
            }

            var eq = pair.IndexOf('=');
            var key = Decode(eq < 0 ? pair : pair[..eq]);
            var value = eq < 0 ? string.Empty : Decode(pair[(eq + 1)..]);
            list.Add(new(key, value));
        }

        return [.. list];
    }

    // Query-string decoding as Go's url.ParseQuery does it: '+' is a space, %XX is a byte (UTF-8).
    private static string Decode(ReadOnlySpan<char> encoded)
    {
        if (encoded.IndexOfAny('+', '%') < 0)
        {
            return new string(encoded);
        }

        return Uri.UnescapeDataString(new string(encoded).Replace('+', ' '));
    }

    private static string Truncate(string? text) => text is null ? "(null)" : text.Length <= 64 ? text : text[..64] + "…";

    /// <summary>Formats a duration in seconds in the shortest round-trip form (<c>1</c>, <c>2.5</c>), as the original does.</summary>
    public static string FormatDuration(double seconds) => seconds.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Parses a duration in any float form; true only for a finite value greater than zero.</summary>
    public static bool TryParseDuration(string? text, out double seconds)
    {
        if (text is not null
            && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out seconds)
            && double.IsFinite(seconds)
            && seconds > 0)
        {
            return true;
        }

        seconds = 0;
        return false;
    }
}
