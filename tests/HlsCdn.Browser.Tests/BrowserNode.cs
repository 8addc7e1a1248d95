using HlsCdn.Node.Tests;

namespace HlsCdn.Browser.Tests;

/// <summary>The publish node the browser tests play from: the shared in-process <see cref="TestNode"/> with push and pull secrets.</summary>
public static class BrowserNode
{
    public const string PushSecret = "browser-tests-push-secret";
    public const string PullSecret = "browser-tests-pull-secret";

    public static Task<TestNode> StartAsync(int port = 0) =>
        TestNode.StartAsync(TestData.Settings(("Node:PushSecret", PushSecret), ("Node:PullSecret", PullSecret)), port: port);
}
