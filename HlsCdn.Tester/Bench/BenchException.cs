namespace HlsCdn.Tester.Bench;

/// <summary>A bench run cannot go on (node unreachable, PUSH/PULL refused); its message is the one-line error shown.</summary>
public sealed class BenchException : Exception
{
    public BenchException()
    {
    }

    public BenchException(string message)
        : base(message)
    {
    }

    public BenchException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
