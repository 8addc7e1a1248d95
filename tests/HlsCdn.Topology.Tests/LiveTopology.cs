namespace HlsCdn.Topology.Tests;

/// <summary>
/// The topology shared by the tests that leave it intact (streaming, dashboard): started once for all of them.
/// Tests that kill nodes have their own class fixtures.
/// </summary>
[CollectionDefinition(Name)]
public sealed class LiveTopology : ICollectionFixture<TopologyFixture>
{
    public const string Name = "live topology";
}
