namespace HlsCdn.Tester.Spectating;

/// <summary>A rendition of the channel the page plays: its stream id and a pull token for it.</summary>
public sealed record PageRendition(string StreamId, string AuthToken);
