namespace HlsCdn.Protocol;

/// <summary>What a stream token grants; it is written in the token's <c>sub</c> claim as <c>PUSH:{id}</c> or <c>PULL:{id}</c>.</summary>
public enum StreamAccess
{
    /// <summary>Publish the stream.</summary>
    Push,

    /// <summary>Spectate the stream.</summary>
    Pull,
}
