using System.Text;

namespace HlsCdn.Protocol.Tests;

public class ProtocolMessageTests
{
    [Theory]
    [InlineData("push:stream=a&auth=t", "PUSH")]
    [InlineData("Push:stream=a", "PUSH")]
    [InlineData("f:duration=1", "F")]
    [InlineData("ok", "OK")]
    [InlineData("Close", "CLOSE")]
    [InlineData("h", "H")]
    public void Type_is_case_insensitive_and_normalised_to_upper_case(string text, string type)
    {
        Assert.True(ProtocolMessage.TryParse(text, out var message));
        Assert.Equal(type, message.Type);
        Assert.True(message.Is(type.ToLowerInvariant()));
    }

    [Fact]
    public void Message_without_query_has_no_parameters()
    {
        var message = ProtocolMessage.Parse("CLOSE");
        Assert.Empty(message.Parameters);
        Assert.Null(message.Get("stream"));
    }

    [Fact]
    public void Empty_query_after_colon_is_allowed()
    {
        var message = ProtocolMessage.Parse("OK:");
        Assert.Equal("OK", message.Type);
        Assert.Empty(message.Parameters);
    }

    [Theory]
    [InlineData("E:code=AUTH_ERROR&message=bad%20token", "bad token")]
    [InlineData("E:code=AUTH_ERROR&message=bad+token", "bad token")]
    [InlineData("E:code=AUTH_ERROR&message=a%2Bb", "a+b")]
    [InlineData("E:code=AUTH_ERROR&message=%C3%A9t%C3%A9", "été")]
    [InlineData("E:code=AUTH_ERROR&message=a%26b%3Dc", "a&b=c")]
    [InlineData("E:code=AUTH_ERROR&message=", "")]
    [InlineData("E:code=AUTH_ERROR&message", "")]
    public void Values_are_percent_decoded_and_plus_is_a_space(string text, string expected)
    {
        var message = ProtocolMessage.Parse(text);
        Assert.Equal("AUTH_ERROR", message.Get(MessageParameters.Code));
        Assert.Equal(expected, message.Get(MessageParameters.Message));
    }

    [Fact]
    public void Keys_are_percent_decoded_too()
    {
        var message = ProtocolMessage.Parse("PULL:only%5Fsource=true");
        Assert.Equal("true", message.Get(MessageParameters.OnlySource));
    }

    [Fact]
    public void First_value_wins()
    {
        var message = ProtocolMessage.Parse("PUSH:stream=first&stream=second&auth=t");
        Assert.Equal("first", message.Get(MessageParameters.Stream));
    }

    [Fact]
    public void Unknown_parameters_are_kept_but_ignored()
    {
        var message = ProtocolMessage.Parse("PULL:stream=s&future=1&auth=tok&&x");
        Assert.Equal("s", message.Get(MessageParameters.Stream));
        Assert.Equal("tok", message.Get(MessageParameters.Auth));
        Assert.Null(message.Get(MessageParameters.OnlySource));
    }

    [Fact]
    public void Parameter_names_are_case_sensitive()
    {
        var message = ProtocolMessage.Parse("PUSH:Stream=x");
        Assert.Null(message.Get(MessageParameters.Stream));
    }

    [Theory]
    [InlineData("room/stream id/1280x720-30~2000000", "tok.en_-")]
    [InlineData("a&b=c+d%e", "x y")]
    [InlineData("été/日本", "")]
    public void Push_round_trips(string streamId, string token)
    {
        var wire = Messages.Push(streamId, token);
        var message = ProtocolMessage.Parse(wire);
        Assert.Equal(MessageTypes.Push, message.Type);
        Assert.Equal(streamId, message.Get(MessageParameters.Stream));
        Assert.Equal(token, message.Get(MessageParameters.Auth));
        Assert.DoesNotContain(' ', wire);
    }

    [Fact]
    public void Pull_round_trips_with_options()
    {
        var wire = Messages.Pull("r/s/640x360-25~800000", "t", onlySource: true, maxInitialFragments: 3);
        var message = ProtocolMessage.Parse(wire);
        Assert.Equal(MessageTypes.Pull, message.Type);
        Assert.Equal("r/s/640x360-25~800000", message.Get(MessageParameters.Stream));
        Assert.Equal("t", message.Get(MessageParameters.Auth));
        Assert.Equal("true", message.Get(MessageParameters.OnlySource));
        Assert.Equal("3", message.Get(MessageParameters.MaxInitialFragments));
    }

    [Fact]
    public void Pull_without_options_omits_them()
    {
        var message = ProtocolMessage.Parse(Messages.Pull("s", null));
        Assert.Equal(string.Empty, message.Get(MessageParameters.Auth));
        Assert.Null(message.Get(MessageParameters.OnlySource));
        Assert.Null(message.Get(MessageParameters.MaxInitialFragments));
    }

    [Fact]
    public void Error_round_trips()
    {
        var message = ProtocolMessage.Parse(Messages.Error(ErrorCodes.PushError, "taken over & closed: 100%"));
        Assert.Equal(MessageTypes.Error, message.Type);
        Assert.Equal(ErrorCodes.PushError, message.Get(MessageParameters.Code));
        Assert.Equal("taken over & closed: 100%", message.Get(MessageParameters.Message));
    }

    [Fact]
    public void Simple_messages_have_their_wire_form()
    {
        Assert.Equal("OK", Messages.Ok);
        Assert.Equal("CLOSE", Messages.Close);
        Assert.Equal("H", Messages.Heartbeat);
        Assert.Equal("F:duration=1", Messages.Fragment(1));
        Assert.Equal("F:duration=2.5", Messages.Fragment(2.5));
        Assert.Equal("F:duration=0.1", Messages.Fragment(0.1));
    }

    [Fact]
    public void Constructor_serialises_and_parses_back()
    {
        var original = new ProtocolMessage("x1", new KeyValuePair<string, string>("k", "v w"));
        Assert.Equal("X1:k=v%20w", original.ToString());
        var parsed = ProtocolMessage.Parse(original.ToString());
        Assert.Equal("v w", parsed.Get("k"));
        Assert.Equal(Encoding.UTF8.GetBytes("X1:k=v%20w"), original.ToUtf8Bytes());
    }

    [Theory]
    [InlineData("")]
    [InlineData(":stream=a")]
    [InlineData("PU SH:stream=a")]
    [InlineData("PU-SH")]
    [InlineData("PUSH_X:a=b")]
    [InlineData("é:a=b")]
    [InlineData(" H")]
    [InlineData("H ")]
    public void Malformed_messages_are_rejected(string text)
    {
        Assert.False(ProtocolMessage.TryParse(text, out _));
        Assert.False(ProtocolMessage.TryParse(Encoding.UTF8.GetBytes(text), out _));
        Assert.Throws<FormatException>(() => ProtocolMessage.Parse(text));
    }

    [Fact]
    public void Null_is_rejected()
    {
        Assert.False(ProtocolMessage.TryParse((string?)null, out _));
    }

    [Fact]
    public void Text_at_the_limit_is_accepted_and_over_it_rejected()
    {
        var prefix = "E:message=";
        var atLimit = prefix + new string('a', ProtocolLimits.MaxTextMessageBytes - prefix.Length);
        Assert.Equal(1600, Encoding.UTF8.GetByteCount(atLimit));
        Assert.True(ProtocolMessage.TryParse(atLimit, out _));
        Assert.True(ProtocolMessage.TryParse(Encoding.UTF8.GetBytes(atLimit), out _));

        var over = atLimit + "a";
        Assert.False(ProtocolMessage.TryParse(over, out _));
        Assert.False(ProtocolMessage.TryParse(Encoding.UTF8.GetBytes(over), out _));
    }

    [Fact]
    public void Limit_counts_utf8_bytes_not_characters()
    {
        // 800 two-byte characters = 1600 bytes after the prefix: over the limit.
        var text = "E:message=" + new string('é', 800);
        Assert.True(text.Length < 1600);
        Assert.False(ProtocolMessage.TryParse(text, out _));
    }

    [Theory]
    [InlineData(new byte[] { 0x48, 0xFF })]
    [InlineData(new byte[] { 0x45, 0x3A, 0x61, 0x3D, 0xC3 })]
    [InlineData(new byte[] { 0x45, 0x3A, 0x61, 0x3D, 0xED, 0xA0, 0x80 })]
    public void Invalid_utf8_is_rejected(byte[] bytes)
    {
        Assert.False(ProtocolMessage.TryParse(bytes, out _));
    }

    [Fact]
    public void Valid_utf8_bytes_are_parsed()
    {
        Assert.True(ProtocolMessage.TryParse(Encoding.UTF8.GetBytes("push:stream=é&auth=x"), out var message));
        Assert.Equal("é", message.Get(MessageParameters.Stream));
    }

    [Fact]
    public void Constructor_rejects_bad_types()
    {
        Assert.Throws<ArgumentException>(() => new ProtocolMessage(""));
        Assert.Throws<ArgumentException>(() => new ProtocolMessage("A B"));
        Assert.Throws<ArgumentNullException>(() => new ProtocolMessage(null!));
    }

    [Theory]
    [InlineData("1", 1.0)]
    [InlineData("1.0", 1.0)]
    [InlineData("1.", 1.0)]
    [InlineData("1e0", 1.0)]
    [InlineData("1E0", 1.0)]
    [InlineData("10e-1", 1.0)]
    [InlineData("0.1e1", 1.0)]
    [InlineData("2.002", 2.002)]
    [InlineData(".5", 0.5)]
    [InlineData("+3", 3.0)]
    [InlineData("4.000000000000001", 4.000000000000001)]
    [InlineData("1.5E+01", 15.0)]
    public void Durations_parse_in_every_float_form(string text, double expected)
    {
        Assert.True(ProtocolMessage.TryParseDuration(text, out var seconds));
        Assert.Equal(expected, seconds);

        var message = ProtocolMessage.Parse("F:duration=" + text.Replace("+", "%2B", StringComparison.Ordinal));
        Assert.True(ProtocolMessage.TryParseDuration(message.Get(MessageParameters.Duration), out var fromWire));
        Assert.Equal(expected, fromWire);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("0.0")]
    [InlineData("-0")]
    [InlineData("-1")]
    [InlineData("-1e0")]
    [InlineData("NaN")]
    [InlineData("nan")]
    [InlineData("Infinity")]
    [InlineData("-Infinity")]
    [InlineData("inf")]
    [InlineData("+Inf")]
    [InlineData("1e400")]
    [InlineData("abc")]
    [InlineData("1,5")]
    [InlineData("1s")]
    public void Bad_durations_are_rejected(string? text)
    {
        Assert.False(ProtocolMessage.TryParseDuration(text, out var seconds));
        Assert.Equal(0, seconds);
    }

    [Theory]
    [InlineData(1.0, "1")]
    [InlineData(2.5, "2.5")]
    [InlineData(0.04, "0.04")]
    [InlineData(1.001, "1.001")]
    [InlineData(6.006, "6.006")]
    public void Durations_are_written_in_shortest_form_and_round_trip(double seconds, string expected)
    {
        var text = ProtocolMessage.FormatDuration(seconds);
        Assert.Equal(expected, text);
        Assert.True(ProtocolMessage.TryParseDuration(text, out var parsed));
        Assert.Equal(seconds, parsed);
    }

    [Fact]
    public void Durations_do_not_depend_on_the_current_culture()
    {
        var previous = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("fr-FR");
            Assert.Equal("F:duration=2.5", Messages.Fragment(2.5));
            Assert.True(ProtocolMessage.TryParseDuration("2.5", out var seconds));
            Assert.Equal(2.5, seconds);
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = previous;
        }
    }
}
