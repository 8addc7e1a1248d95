using System.Diagnostics.CodeAnalysis;

namespace HlsCdn.Protocol;

/// <summary>Validation of stream identifiers.</summary>
public static class StreamIds
{
    /// <summary>Whether <paramref name="streamId"/> is a valid stream identifier: non-empty, at most 255 characters, no control characters.</summary>
    public static bool IsValid([NotNullWhen(true)] string? streamId)
    {
        if (string.IsNullOrEmpty(streamId) || streamId.Length > ProtocolLimits.MaxStreamIdLength)
        {
            return false;
        }

        foreach (var c in streamId)
        {
            if (char.IsControl(c))
            {
                return false;
            }
        }

        return true;
    }
}
