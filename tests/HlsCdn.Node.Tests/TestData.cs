namespace HlsCdn.Node.Tests;

internal static class TestData
{
    /// <summary>A fragment whose bytes encode its index, so order and integrity are both checked.</summary>
    public static byte[] Fragment(int index, int size = 1000)
    {
        var data = new byte[size];
        new Random(index).NextBytes(data);
        BitConverter.TryWriteBytes(data, index);
        return data;
    }

    public static string StreamId() => "room/" + Guid.NewGuid().ToString("N")[..8] + "/1280x720-30~2000";

    public static Dictionary<string, string?> Settings(params (string Key, string? Value)[] values) =>
        values.ToDictionary(v => v.Key, v => v.Value);
}
