using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace HlsCdn.Protocol;

/// <summary>Turns a shared secret into the HMAC key the original server uses.</summary>
internal static class StreamTokenKey
{
    // Microsoft.IdentityModel refuses HMAC keys shorter than the hash (256 bits for HS256, 384 for HS384, 512 for
    // HS512), while the original accepts any secret with all three. HMAC itself zero-pads a key shorter than its
    // block size (RFC 2104, 64 bytes for SHA-256, 128 for SHA-384/512), so padding a short secret with zero bytes
    // to 64 bytes yields the very same signatures and satisfies all three minimums.
    private const int MinimumKeyBytes = 64;

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
