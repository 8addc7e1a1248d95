namespace HlsCdn.Node.Tests;

/// <summary>
/// Tests that measure the process (managed memory, working set) or load it heavily: run alone, after the parallel
/// tests, so that other tests' allocations do not count as theirs.
/// </summary>
[CollectionDefinition(nameof(Isolated), DisableParallelization = true)]
public sealed class Isolated;
