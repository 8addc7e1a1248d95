namespace HlsCdn.Tester.Tests.Bench;

/// <summary>What the scripted node does to one fragment on its way to one spectator.</summary>
public enum Fault
{
    None,
    Drop,
    Corrupt,
    Duplicate,
    Truncate,
    HoldForNext,
}
