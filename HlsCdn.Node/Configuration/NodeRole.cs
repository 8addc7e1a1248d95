namespace HlsCdn.Node.Configuration;

/// <summary>The role a node plays in the CDN.</summary>
public enum NodeRole
{
    /// <summary>Accepts publishers (PUSH) and serves spectators from its local sources.</summary>
    Publish,

    /// <summary>Never accepts PUSH; serves spectators by relaying streams from other nodes.</summary>
    Edge,
}
