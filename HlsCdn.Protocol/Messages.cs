namespace HlsCdn.Protocol;

/// <summary>Factories for the protocol's messages in their wire form.</summary>
public static class Messages
{
    /// <summary><c>OK</c></summary>
    public static string Ok => MessageTypes.Ok;

    /// <summary><c>CLOSE</c></summary>
    public static string Close => MessageTypes.Close;

    /// <summary><c>H</c></summary>
    public static string Heartbeat => MessageTypes.Heartbeat;

    /// <summary><c>PUSH:stream=ID&amp;auth=TOKEN</c></summary>
    public static string Push(string streamId, string? token) =>
        new ProtocolMessage(MessageTypes.Push, new(MessageParameters.Stream, streamId), new(MessageParameters.Auth, token ?? string.Empty)).ToString();

    /// <summary><c>PULL:stream=ID&amp;auth=TOKEN[&amp;only_source=true][&amp;max_initial_fragments=N]</c></summary>
    public static string Pull(string streamId, string? token, bool onlySource = false, int? maxInitialFragments = null)
    {
        var parameters = new List<KeyValuePair<string, string>>(4)
        {
            new(MessageParameters.Stream, streamId),
            new(MessageParameters.Auth, token ?? string.Empty),
        };
        if (onlySource)
        {
            parameters.Add(new(MessageParameters.OnlySource, "true"));
        }

        if (maxInitialFragments is { } max)
        {
            parameters.Add(new(MessageParameters.MaxInitialFragments, max.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        return new ProtocolMessage(MessageTypes.Pull, [.. parameters]).ToString();
    }

    /// <summary><c>F:duration=D</c></summary>
    public static string Fragment(double durationSeconds) =>
        MessageTypes.Fragment + ":" + MessageParameters.Duration + "=" + ProtocolMessage.FormatDuration(durationSeconds);

    /// <summary><c>E:code=CODE&amp;message=TEXT</c></summary>
    public static string Error(string code, string message) =>
        new ProtocolMessage(MessageTypes.Error, new(MessageParameters.Code, code), new(MessageParameters.Message, message)).ToString();
}
