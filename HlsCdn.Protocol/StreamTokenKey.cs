using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace HlsCdn.Protocol;

/// <summary>Turns a shared secret into the HMAC key the original server uses.</summary>
internal static class StreamTokenKey
{
    // Microsoft.IdentityModel refuses HMAC keys under 256 bits, while the original accepts any secret.
    // HMAC itself zero-pads a key shorter than its block size (RFC 2104, 64 bytes for SHA-256, 128 for
    // SHA-384/512), so padding a short secret with zero bytes to 32 bytes yields the very same signatures.
    private const int MinimumKeyBytes = 32;

    public static SymmetricSecurityKey Create(string secret)
    {
        var bytes = Encoding.UTF8.GetBytes(secret);
        if (bytes.Length < MinimumKeyBytes)
        {
            Array.Resize(ref bytes, MinimumKeyBytes);
        }

        return new SymmetricSecurityKey(bytes);
    }

    public static string Subject(StreamAccess access, string streamId) =>
        (access == StreamAccess.Push ? MessageTypes.Push : MessageTypes.Pull) + ":" + streamId;
}
