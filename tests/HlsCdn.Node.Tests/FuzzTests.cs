using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using HlsCdn.Node.Diagnostics;
using HlsCdn.Node.Streams;
using HlsCdn.Protocol;
using Microsoft.Extensions.Logging;

namespace HlsCdn.Node.Tests;

/// <summary>
/// Hostile input against a live in-process node (loopback only, fixed seed, bounded count and time): mutated and random
/// messages, wrong message kinds at every protocol step, oversize and truncated frames, frame-level violations,
/// non-UTF-8 text, abrupt disconnects, JWT edge cases and ~2000 half-open connections. Afterwards the node must still
/// serve an honest publisher and 3 spectators intact, and be back to zero streams, connections and buffered bytes.
/// </summary>
[Collection(nameof(Isolated))]
public sealed class FuzzTests
{
    private const int Seed = 20_240_611;
    private const int Concurrency = 16;
    private const int MaxBinary = 64 * 1024;
    private const int TcpOnlyConnections = 1500;
    private const int SilentSessions = 500;
    private const long MemoryMarginBytes = 16L * 1024 * 1024;
    private const string PushSecret = "fuzz-push-secret-0123456789abcdef-0123456789";
    private const string PullSecret = "fuzz-pull-secret-0123456789abcdef-0123456789";
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Answer = TimeSpan.FromSeconds(8);

    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, int>> _outcomes = new(StringComparer.Ordinal);
    private int _port;
    private string _victim = "";

    [Fact]
    public async Task Hostile_input_leaves_the_node_serving_and_leak_free()
    {
        var logs = new CapturingLoggerProvider();
        await using var node = await TestNode.StartAsync(
            TestData.Settings(
                ("Node:PushSecret", PushSecret),
                ("Node:PullSecret", PullSecret),
                ("Node:FirstMessageTimeout", "00:00:01"),
                ("Node:MaxBinaryMessageSize", MaxBinary.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ("Node:FragmentBufferMaxLength", "5"),
                ("Node:SendTimeout", "00:00:05")),
            configure: b => b.Logging.AddProvider(logs));
        _port = node.HttpUrl.Port;
        var total = Stopwatch.StartNew();

        // Warm up (JIT, pools), then the baseline.
        await HonestSessionAsync(node, fragments: 5, spectators: 1, size: 8 * 1024);
        await WaitIdleAsync(node);
        var before = ManagedMemory();

        // A live stream throughout, for the spectator-side cases.
        _victim = "fuzz/victim/1280x720-30~2000";
        using var stopVictim = new CancellationTokenSource();
        var victim = RunVictimAsync(stopVictim.Token);

        var random = new Random(Seed);
        var cases = BuildCases(random);
        var peakConnections = 0L;
        for (var i = 0; i < cases.Count; i += Concurrency)
        {
            await Task.WhenAll(cases.Skip(i).Take(Concurrency).Select(RunCaseAsync)).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
            peakConnections = Math.Max(peakConnections, node.Get<ConnectionCounter>().Current);
        }

        var fuzzTime = total.Elapsed;
        peakConnections = Math.Max(peakConnections, await HalfOpenAsync(node));
        stopVictim.Cancel();
        var victimFragments = await victim;

        // The node still serves honestly, every byte intact.
        await HonestSessionAsync(node, fragments: 20, spectators: 3, size: 32 * 1024);
        await WaitIdleAsync(node);
        var after = ManagedMemory();

        var report = Report(before, after, peakConnections, victimFragments, total.Elapsed, fuzzTime, logs);
        TestContext.Current.SendDiagnosticMessage(report);
        TestContext.Current.TestOutputHelper?.WriteLine(report);
        await File.WriteAllTextAsync(Path.Combine(Path.GetTempPath(), "hlscdn-fuzz-report.txt"), report, TestContext.Current.CancellationToken);

        Assert.Equal(0, node.Get<StreamDirectory>().Count);
        Assert.Equal(0, node.Get<ConnectionCounter>().Current);
        Assert.Equal(0, node.Get<BufferMemoryBudget>().UsedBytes);
        Assert.True(after - before < MemoryMarginBytes, $"managed memory grew by {(after - before) / 1024} KiB (margin {MemoryMarginBytes / 1024} KiB)");
        Assert.DoesNotContain(_outcomes.SelectMany(k => k.Value.Keys.Select(o => (k.Key, o))), x => x.o.EndsWith("/hang", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Entries, e => e.Level >= LogLevel.Error);
        Assert.All(_outcomes["half-open:tcp-only"].Keys, o => Assert.Equal("-/eof", o));
        Assert.All(_outcomes["half-open:upgraded-silent"].Keys, o => Assert.StartsWith("E:PROTOCOL_ERROR/", o, StringComparison.Ordinal));
        foreach (var (kind, outcomes) in _outcomes.Where(k => k.Key.StartsWith("jwt:", StringComparison.Ordinal)))
        {
            var valid = kind.EndsWith(" valid", StringComparison.Ordinal) || kind == "jwt:far future exp";
            Assert.All(outcomes.Keys, o => Assert.True(
                valid ? o.StartsWith("OK", StringComparison.Ordinal) : o.StartsWith("E:AUTH_ERROR/", StringComparison.Ordinal) || o == "-/close:1009",
                $"{kind}: {o}"));
        }
        Assert.True(total.Elapsed < TimeSpan.FromSeconds(90), $"the fuzz run took {total.Elapsed}");
    }

    private List<(string Kind, Func<Task<string>> Run)> BuildCases(Random random)
    {
        var cases = new List<(string, Func<Task<string>>)>();
        void Add(string kind, Func<Task<string>> run) => cases.Add((kind, run));
        string Fresh() => "fuzz/" + random.Next(1_000_000).ToString(System.Globalization.CultureInfo.InvariantCulture);

        // 1. Mutations of valid messages, as the first message.
        string[] Valid(string s) =>
        [
            Messages.Push(s, Token(PushSecret, $"PUSH:{s}")),
            Messages.Pull(s, Token(PullSecret, $"PULL:{s}")),
            Messages.Pull(s, Token(PullSecret, $"PULL:{s}"), onlySource: true, maxInitialFragments: 3),
            "F:duration=1.001", "H", "CLOSE", "E:code=PROTOCOL_ERROR&message=boom", "OK",
        ];
        for (var i = 0; i < 300; i++)
        {
            var message = Mutate(random, random.GetItems(Valid(Fresh()), 1)[0]);
            Add("mutated-first", () => FirstMessageAsync(message, stopAtOk: true));
        }

        // 2. Mutations as a publisher's messages, and as a spectator's (of the live victim stream).
        for (var i = 0; i < 100; i++)
        {
            var message = Mutate(random, random.GetItems(["F:duration=1", "CLOSE", "H", "E:code=X&message=y", Messages.Push("x", "y")], 1)[0]);
            var stream = Fresh();
            Add("mutated-publisher", () => PublisherAsync(stream, ws => ws.SendTextAsync(message)));
        }

        for (var i = 0; i < 60; i++)
        {
            var message = Mutate(random, random.GetItems(["H", "CLOSE", "F:duration=1", Messages.Pull(_victim, "t")], 1)[0]);
            Add("mutated-spectator", () => SpectatorAsync(ws => ws.SendTextAsync(message)));
        }

        // 3. Random text (printable) and random bytes in text frames (mostly not UTF-8).
        for (var i = 0; i < 100; i++)
        {
            var text = new string([.. Enumerable.Range(0, random.Next(0, 1700)).Select(_ => (char)random.Next(32, 127))]);
            Add("random-text", () => FirstMessageAsync(text));
        }

        foreach (var bytes in new byte[][] { [0xC3, 0x28], [0xFF, 0xFE, 0xFD], [0xED, 0xA0, 0x80], [0xC0, 0xAF], [.. "PULL:stream="u8, 0xF5, 0x80] }
            .Concat(Enumerable.Range(0, 35).Select(_ => random.GetItems<byte>(Enumerable.Range(0, 256).Select(b => (byte)b).ToArray(), random.Next(1, 400)))))
        {
            var payload = bytes;
            Add("non-utf8-first", () => FrameFirstAsync(RawTcpWebSocket.Frame(RawTcpWebSocket.OpText, payload)));
            Add("non-utf8-publisher", () => PublisherAsync(Fresh(), ws => ws.SendFrameAsync(RawTcpWebSocket.OpText, payload)));
        }

        for (var i = 0; i < 5; i++)
        {
            Add("non-utf8-spectator", () => SpectatorAsync(ws => ws.SendFrameAsync(RawTcpWebSocket.OpText, [0xC3, 0x28])));
        }

        // 4. Wrong message kinds at every step.
        foreach (var first in new[] { "F:duration=1", "CLOSE", "E:code=X&message=y", "OK", "PUSH", "PULL", "H", "" })
        {
            Add("wrong-kind-first", () => FirstMessageAsync(first));
        }

        Add("wrong-kind-first", () => FrameFirstAsync(RawTcpWebSocket.Frame(RawTcpWebSocket.OpBinary, new byte[100])));
        var publisherSteps = new (string Name, Func<RawTcpWebSocket, Task> Send)[]
        {
            ("PUSH again", ws => ws.SendTextAsync(Messages.Push("again", Token(PushSecret, "PUSH:again")))),
            ("PULL", ws => ws.SendTextAsync(Messages.Pull("x", null))),
            ("OK", ws => ws.SendTextAsync("OK")),
            ("binary without F", ws => ws.SendFrameAsync(RawTcpWebSocket.OpBinary, new byte[10])),
            ("F then F", async ws => { await ws.SendTextAsync("F:duration=1"); await ws.SendTextAsync("F:duration=1"); }),
            ("F then CLOSE", async ws => { await ws.SendTextAsync("F:duration=1"); await ws.SendTextAsync("CLOSE"); }),
            ("F then empty binary", async ws => { await ws.SendTextAsync("F:duration=1"); await ws.SendFrameAsync(RawTcpWebSocket.OpBinary, []); }),
            ("F duration 0", ws => ws.SendTextAsync("F:duration=0")),
            ("F duration NaN", ws => ws.SendTextAsync("F:duration=NaN")),
            ("F duration 1e309", ws => ws.SendTextAsync("F:duration=1e309")),
            ("E", ws => ws.SendTextAsync("E:code=X&message=y")),
            ("fragment then CLOSE", async ws => { await ws.SendTextAsync("F:duration=1"); await ws.SendFrameAsync(RawTcpWebSocket.OpBinary, new byte[100]); await ws.SendTextAsync("CLOSE"); }),
            ("oversize binary", async ws => { await ws.SendTextAsync("F:duration=1"); await ws.SendFrameAsync(RawTcpWebSocket.OpBinary, new byte[MaxBinary + 1]); }),
            ("oversize text", ws => ws.SendTextAsync("F:duration=" + new string('1', 2000))),
        };
        foreach (var (name, send) in publisherSteps)
        {
            Add("wrong-kind-publisher:" + name, () => PublisherAsync(Fresh(), send));
        }

        var spectatorSteps = new (string Name, Func<RawTcpWebSocket, Task> Send)[]
        {
            ("F", ws => ws.SendTextAsync("F:duration=1")),
            ("binary", ws => ws.SendFrameAsync(RawTcpWebSocket.OpBinary, new byte[10])),
            ("PUSH", ws => ws.SendTextAsync(Messages.Push(_victim, Token(PushSecret, $"PUSH:{_victim}")))),
            ("PULL", ws => ws.SendTextAsync(Messages.Pull(_victim, null))),
            ("OK", ws => ws.SendTextAsync("OK")),
            ("CLOSE", ws => ws.SendTextAsync("CLOSE")),
            ("oversize text", ws => ws.SendTextAsync(new string('H', 1700))),
            ("oversize binary", ws => ws.SendFrameAsync(RawTcpWebSocket.OpBinary, new byte[MaxBinary + 1])),
        };
        foreach (var (name, send) in spectatorSteps)
        {
            Add("wrong-kind-spectator:" + name, () => SpectatorAsync(send));
        }

        // 5. Oversize first messages.
        foreach (var size in new[] { 1601, 4000, 100_000 })
        {
            Add("oversize-first-text", () => FirstMessageAsync("PULL:stream=" + new string('a', size)));
        }

        Add("oversize-first-binary", () => FrameFirstAsync(RawTcpWebSocket.Frame(RawTcpWebSocket.OpBinary, new byte[MaxBinary * 2])));

        // 6. Frame-level violations.
        var frames = new (string Name, byte[] Frame)[]
        {
            ("unmasked", RawTcpWebSocket.Frame(RawTcpWebSocket.OpText, "PULL:stream=x"u8, masked: false)),
            ("rsv bits", RawTcpWebSocket.Frame(RawTcpWebSocket.OpText, "PULL:stream=x"u8, rsv: 3)),
            ("reserved opcode", RawTcpWebSocket.Frame(0x3, "x"u8)),
            ("continuation first", RawTcpWebSocket.Frame(RawTcpWebSocket.OpContinuation, "x"u8)),
            ("fragmented ping", RawTcpWebSocket.Frame(RawTcpWebSocket.OpPing, "x"u8, fin: false)),
            ("oversize ping", RawTcpWebSocket.Frame(RawTcpWebSocket.OpPing, new byte[126])),
            ("negative length", RawTcpWebSocket.Frame(RawTcpWebSocket.OpText, "x"u8, declaredLength: long.MinValue)),
            ("close code 999", RawTcpWebSocket.Frame(RawTcpWebSocket.OpClose, [0x03, 0xE7])),
            ("close 1 byte", RawTcpWebSocket.Frame(RawTcpWebSocket.OpClose, [0x03])),
            ("text then binary continuation", [.. RawTcpWebSocket.Frame(RawTcpWebSocket.OpText, "PU"u8, fin: false), .. RawTcpWebSocket.Frame(RawTcpWebSocket.OpBinary, "LL"u8)]),
            ("100 pings then PULL", [.. Enumerable.Range(0, 100).SelectMany(_ => RawTcpWebSocket.Frame(RawTcpWebSocket.OpPing, "p"u8)), .. RawTcpWebSocket.Frame(RawTcpWebSocket.OpText, Encoding.UTF8.GetBytes(Messages.Pull("absent", Token(PullSecret, "PULL:absent"))))]),
            ("PULL in 60 fragments", [.. Chunks(Encoding.UTF8.GetBytes(Messages.Pull("absent", Token(PullSecret, "PULL:absent"))), 60)]),
        };
        foreach (var (name, frame) in frames)
        {
            Add("frame:" + name, () => FrameFirstAsync(frame));
        }

        // 7. Truncated frames (a header promising more than is sent), then TCP cut, at each step.
        foreach (var reset in new[] { false, true })
        {
            var how = reset ? "rst" : "fin";
            Add("truncated-first:" + how, () => DropAsync(async ws => { await Upgraded(ws); await ws.SendRawAsync(RawTcpWebSocket.Frame(RawTcpWebSocket.OpText, new byte[10], declaredLength: 100)); }, reset));
            Add("truncated-header:" + how, () => DropAsync(async ws => { await Upgraded(ws); await ws.SendRawAsync(new byte[] { 0x81 }); }, reset));
            Add("truncated-fragment:" + how, () => DropAsync(async ws => { await Pushed(ws, Fresh()); await ws.SendTextAsync("F:duration=1"); await ws.SendRawAsync(RawTcpWebSocket.Frame(RawTcpWebSocket.OpBinary, new byte[1000], declaredLength: 50_000)); }, reset));
            Add("truncated-F:" + how, () => DropAsync(async ws => { await Pushed(ws, Fresh()); await ws.SendRawAsync(RawTcpWebSocket.Frame(RawTcpWebSocket.OpText, "F:dur"u8, declaredLength: 12)); }, reset));
        }

        // 8. Abrupt disconnects at every step (FIN and RST), three times each.
        for (var rep = 0; rep < 3; rep++)
        {
            foreach (var reset in new[] { false, true })
            {
                var how = reset ? "rst" : "fin";
                Add("drop:after-connect:" + how, () => DropAsync(_ => Task.CompletedTask, reset));
                Add("drop:mid-http:" + how, () => DropAsync(ws => ws.SendRawAsync(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgr")), reset));
                Add("drop:after-upgrade:" + how, () => DropAsync(Upgraded, reset));
                Add("drop:after-PUSH-sent:" + how, () => DropAsync(async ws => { await Upgraded(ws); var s = Fresh(); await ws.SendTextAsync(Messages.Push(s, Token(PushSecret, $"PUSH:{s}"))); }, reset));
                Add("drop:after-PUSH-OK:" + how, () => DropAsync(ws => Pushed(ws, Fresh()), reset));
                Add("drop:after-F:" + how, () => DropAsync(async ws => { await Pushed(ws, Fresh()); await ws.SendTextAsync("F:duration=1"); }, reset));
                Add("drop:after-fragment:" + how, () => DropAsync(async ws => { await Pushed(ws, Fresh()); await ws.SendTextAsync("F:duration=1"); await ws.SendFrameAsync(RawTcpWebSocket.OpBinary, new byte[5000]); }, reset));
                Add("drop:after-PULL-sent:" + how, () => DropAsync(async ws => { await Upgraded(ws); await ws.SendTextAsync(Messages.Pull(_victim, Token(PullSecret, $"PULL:{_victim}"))); }, reset));
                Add("drop:spectating:" + how, () => DropAsync(async ws => { await Pulled(ws); await Task.Delay(150); }, reset));
                Add("drop:after-our-close:" + how, () => DropAsync(async ws => { await Pulled(ws); await ws.SendCloseAsync(); }, reset));
            }
        }

        // 9. JWT edge cases (PUSH with the push secret unless stated).
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var jwt = new (string Name, string Stream, Func<string, string> Token, bool Pull)[]
        {
            ("alg none", "j", s => Jwt("{\"alg\":\"none\",\"typ\":\"JWT\"}", $"{{\"sub\":\"PUSH:{s}\",\"exp\":{now + 600}}}", null), false),
            ("alg NONE signed", "j", s => Jwt("{\"alg\":\"NONE\"}", $"{{\"sub\":\"PUSH:{s}\",\"exp\":{now + 600}}}", PushSecret), false),
            ("alg RS256 with HMAC", "j", s => Jwt("{\"alg\":\"RS256\"}", $"{{\"sub\":\"PUSH:{s}\",\"exp\":{now + 600}}}", PushSecret), false),
            ("alg HS999", "j", s => Jwt("{\"alg\":\"HS999\"}", $"{{\"sub\":\"PUSH:{s}\",\"exp\":{now + 600}}}", PushSecret), false),
            ("no alg", "j", s => Jwt("{\"typ\":\"JWT\"}", $"{{\"sub\":\"PUSH:{s}\",\"exp\":{now + 600}}}", PushSecret), false),
            ("missing exp", "j", s => Jwt(Hs256, $"{{\"sub\":\"PUSH:{s}\"}}", PushSecret), false),
            ("expired", "j", s => Jwt(Hs256, $"{{\"sub\":\"PUSH:{s}\",\"exp\":{now - 5}}}", PushSecret), false),
            ("exp as text", "j", s => Jwt(Hs256, $"{{\"sub\":\"PUSH:{s}\",\"exp\":\"never\"}}", PushSecret), false),
            ("exp negative", "j", s => Jwt(Hs256, $"{{\"sub\":\"PUSH:{s}\",\"exp\":-1}}", PushSecret), false),
            ("wrong sub stream", "j", _ => Jwt(Hs256, $"{{\"sub\":\"PUSH:other\",\"exp\":{now + 600}}}", PushSecret), false),
            ("sub PULL for PUSH", "j", s => Jwt(Hs256, $"{{\"sub\":\"PULL:{s}\",\"exp\":{now + 600}}}", PushSecret), false),
            ("sub lower case", "j", s => Jwt(Hs256, $"{{\"sub\":\"push:{s}\",\"exp\":{now + 600}}}", PushSecret), false),
            ("sub missing", "j", _ => Jwt(Hs256, $"{{\"exp\":{now + 600}}}", PushSecret), false),
            ("sub as array", "j", s => Jwt(Hs256, $"{{\"sub\":[\"PUSH:{s}\"],\"exp\":{now + 600}}}", PushSecret), false),
            ("other secret", "j", s => Jwt(Hs256, $"{{\"sub\":\"PUSH:{s}\",\"exp\":{now + 600}}}", "some-other-secret-0123456789abcdef-xyz"), false),
            ("pull secret for push", "j", s => Jwt(Hs256, $"{{\"sub\":\"PUSH:{s}\",\"exp\":{now + 600}}}", PullSecret), false),
            ("push secret for pull", "j", s => Jwt(Hs256, $"{{\"sub\":\"PULL:{s}\",\"exp\":{now + 600}}}", PushSecret), true),
            ("signature stripped", "j", s => Jwt(Hs256, $"{{\"sub\":\"PUSH:{s}\",\"exp\":{now + 600}}}", PushSecret)[..^10], false),
            ("two parts", "j", _ => "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJQVVNIOmoifQ", false),
            ("garbage base64", "j", _ => "!!!.@@@.###", false),
            ("json garbage", "j", _ => Jwt("{", "{]", PushSecret), false),
            ("huge token 1400", "j", s => Jwt(Hs256, $"{{\"sub\":\"PUSH:{s}\",\"exp\":{now + 600},\"pad\":\"{new string('x', 900)}\"}}", "some-other-secret-0123456789abcdef-xyz"), false),
            ("huge token 8000", "j", s => Jwt(Hs256, $"{{\"sub\":\"PUSH:{s}\",\"exp\":{now + 600},\"pad\":\"{new string('x', 6000)}\"}}", PushSecret), false),
            ("HS512 valid", "j", s => Jwt("{\"alg\":\"HS512\"}", $"{{\"sub\":\"PUSH:{s}\",\"exp\":{now + 600}}}", PushSecret), false),
            ("HS384 valid", "j", s => Jwt("{\"alg\":\"HS384\"}", $"{{\"sub\":\"PUSH:{s}\",\"exp\":{now + 600}}}", PushSecret), false),
            ("far future exp", "j", s => Jwt(Hs256, $"{{\"sub\":\"PUSH:{s}\",\"exp\":253402300799}}", PushSecret), false),
        };
        foreach (var (name, _, token, pull) in jwt)
        {
            var stream = Fresh();
            var message = pull ? Messages.Pull(stream, token(stream)) : Messages.Push(stream, token(stream));
            Add("jwt:" + name, () => FirstMessageAsync(message, stopAtOk: !pull));
        }

        // Shuffle deterministically so that kinds interleave (and run concurrently with one another).
        var shuffled = cases.ToArray();
        random.Shuffle(shuffled);
        return [.. shuffled];
    }

    private async Task RunCaseAsync((string Kind, Func<Task<string>> Run) fuzzCase)
    {
        string outcome;
        try
        {
            outcome = await fuzzCase.Run().WaitAsync(TimeSpan.FromSeconds(25));
        }
        catch (TimeoutException)
        {
            outcome = "case/hang";
        }

        _outcomes.GetOrAdd(fuzzCase.Kind, _ => new(StringComparer.Ordinal)).AddOrUpdate(outcome, 1, (_, n) => n + 1);
    }

    // --- Case shapes -------------------------------------------------------------------------------------------

    private Task<string> FirstMessageAsync(string text, bool stopAtOk = false) =>
        FrameFirstAsync(RawTcpWebSocket.Frame(RawTcpWebSocket.OpText, Encoding.UTF8.GetBytes(text)), stopAtOk);

    private async Task<string> FrameFirstAsync(byte[] frames, bool stopAtOk = false)
    {
        await using var ws = await RawTcpWebSocket.ConnectAsync(_port, TestContext.Current.CancellationToken);
        var status = await ws.UpgradeAsync(Answer);
        if (status != 101)
        {
            return $"http:{status}";
        }

        await ws.SendRawAsync(frames);
        var outcome = await ws.ReadOutcomeAsync(Answer, stopAtOk);
        if (outcome == "OK/open")
        {
            // An accepted PUSH (valid token): end it properly.
            await ws.SendTextAsync("CLOSE");
            outcome = "OK+" + await ws.ReadOutcomeAsync(Answer);
        }

        return outcome;
    }

    private async Task<string> PublisherAsync(string stream, Func<RawTcpWebSocket, Task> send)
    {
        await using var ws = await RawTcpWebSocket.ConnectAsync(_port, TestContext.Current.CancellationToken);
        if (await Pushed(ws, stream) is { } refused)
        {
            return refused;
        }

        await send(ws);
        return await QuietThenCloseAsync(ws);
    }

    private async Task<string> SpectatorAsync(Func<RawTcpWebSocket, Task> send)
    {
        await using var ws = await RawTcpWebSocket.ConnectAsync(_port, TestContext.Current.CancellationToken);
        if (await Pulled(ws) is { } refused)
        {
            return refused;
        }

        await send(ws);
        return await QuietThenCloseAsync(ws);
    }

    private async Task<string> DropAsync(Func<RawTcpWebSocket, Task> before, bool reset)
    {
        var ws = await RawTcpWebSocket.ConnectAsync(_port, TestContext.Current.CancellationToken);
        await before(ws);
        ws.Drop(reset);
        await ws.DisposeAsync();
        return "dropped-by-us";
    }

    // The node either answers (E, close) or stays quiet because the input was acceptable; then we close and it must end.
    private static async Task<string> QuietThenCloseAsync(RawTcpWebSocket ws)
    {
        var outcome = await ws.ReadOutcomeAsync(Quiet);
        if (!outcome.EndsWith("/hang", StringComparison.Ordinal))
        {
            return outcome;
        }

        await ws.SendCloseAsync();
        return "quiet+" + await ws.ReadOutcomeAsync(Answer);
    }

    private static async Task Upgraded(RawTcpWebSocket ws) => Assert.Equal(101, await ws.UpgradeAsync(Answer));

    private static async Task<string?> Pushed(RawTcpWebSocket ws, string stream)
    {
        await Upgraded(ws);
        await ws.SendTextAsync(Messages.Push(stream, Token(PushSecret, $"PUSH:{stream}")));
        var ok = await ws.ReadOutcomeAsync(Answer, stopAtOk: true);
        return ok == "OK/open" ? null : "push-refused:" + ok;
    }

    private async Task<string?> Pulled(RawTcpWebSocket ws)
    {
        await Upgraded(ws);
        await ws.SendTextAsync(Messages.Pull(_victim, Token(PullSecret, $"PULL:{_victim}"), maxInitialFragments: 0));
        var ok = await ws.ReadOutcomeAsync(Answer, stopAtOk: true);
        return ok == "OK/open" ? null : "pull-refused:" + ok;
    }

    // --- Half-open connections -----------------------------------------------------------------------------------

    private async Task<long> HalfOpenAsync(TestNode node)
    {
        var tcpOnly = new List<RawTcpWebSocket>(TcpOnlyConnections);
        var silent = new List<RawTcpWebSocket>(SilentSessions);
        try
        {
            for (var i = 0; i < TcpOnlyConnections; i++)
            {
                tcpOnly.Add(await RawTcpWebSocket.ConnectAsync(_port, TestContext.Current.CancellationToken));
            }

            for (var i = 0; i < SilentSessions; i++)
            {
                var ws = await RawTcpWebSocket.ConnectAsync(_port, TestContext.Current.CancellationToken);
                silent.Add(ws);
                await Upgraded(ws);
            }

            var peak = node.Get<ConnectionCounter>().Current;

            // The node must end both kinds by itself: Kestrel's request-header timeout, the first-message deadline.
            var tcpOutcomes = await Task.WhenAll(tcpOnly.Select(ws => ws.ReadOutcomeAsync(TimeSpan.FromSeconds(15))));
            var silentOutcomes = await Task.WhenAll(silent.Select(ws => ws.ReadOutcomeAsync(TimeSpan.FromSeconds(15))));
            foreach (var o in tcpOutcomes)
            {
                _outcomes.GetOrAdd("half-open:tcp-only", _ => new(StringComparer.Ordinal)).AddOrUpdate(o, 1, (_, n) => n + 1);
            }

            foreach (var o in silentOutcomes)
            {
                _outcomes.GetOrAdd("half-open:upgraded-silent", _ => new(StringComparer.Ordinal)).AddOrUpdate(o, 1, (_, n) => n + 1);
            }

            return peak;
        }
        finally
        {
            foreach (var ws in tcpOnly.Concat(silent))
            {
                await ws.DisposeAsync();
            }
        }
    }

    // --- Honest traffic ---------------------------------------------------------------------------------------------

    private async Task<int> RunVictimAsync(CancellationToken stop)
    {
        await using var publisher = await RawPeer.PushAsync(new Uri($"ws://127.0.0.1:{_port}/"), _victim, Token(PushSecret, $"PUSH:{_victim}"));
        var sent = 0;
        while (!stop.IsCancellationRequested && sent < 2000)
        {
            await publisher.SendFragmentAsync(TestData.Fragment(sent, 4096));
            sent++;
            try
            {
                await Task.Delay(50, stop);
            }
            catch (OperationCanceledException)
            {
            }
        }

        await publisher.SendTextAsync("CLOSE");
        var end = await publisher.ReceiveAsync();
        for (var i = 0; i < 5 && end.Text == Messages.Heartbeat; i++)
        {
            // The node sends the publisher H after 30 s of saying nothing.
            end = await publisher.ReceiveAsync();
        }

        Assert.True(end.IsClose, $"the victim publisher expected the end of its connection, got {end}");
        return sent;
    }

    private static async Task HonestSessionAsync(TestNode node, int fragments, int spectators, int size)
    {
        var stream = "honest/" + Guid.NewGuid().ToString("N")[..8];
        await using var publisher = await RawPeer.PushAsync(node.WebSocketUrl, stream, Token(PushSecret, $"PUSH:{stream}"));
        var peers = await Task.WhenAll(Enumerable.Range(0, spectators).Select(_ => RawPeer.PullAsync(node.WebSocketUrl, stream, Token(PullSecret, $"PULL:{stream}"))));
        for (var i = 0; i < fragments; i++)
        {
            await publisher.SendFragmentAsync(TestData.Fragment(i, size), 1.5);
            foreach (var peer in peers)
            {
                var (duration, data) = await peer.ReceiveFragmentAsync();
                Assert.Equal(1.5, duration);
                Assert.Equal(TestData.Fragment(i, size), data);
            }
        }

        await publisher.SendTextAsync("CLOSE");
        foreach (var peer in peers)
        {
            await peer.ExpectCloseAsync();
            await peer.DisposeAsync();
        }
    }

    private static async Task WaitIdleAsync(TestNode node)
    {
        for (var i = 0; i < 300; i++)
        {
            if (node.Get<StreamDirectory>().Count == 0 && node.Get<ConnectionCounter>().Current == 0 && node.Get<BufferMemoryBudget>().UsedBytes == 0)
            {
                return;
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    private static long ManagedMemory()
    {
        for (var i = 0; i < 3; i++)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }

        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private string Report(long before, long after, long peakConnections, int victimFragments, TimeSpan total, TimeSpan fuzzTime, CapturingLoggerProvider logs)
    {
        var text = new StringBuilder();
        text.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"Fuzz (seed {Seed}): {_outcomes.Values.Sum(v => v.Values.Sum())} inputs in {total.TotalSeconds:F1} s (cases {fuzzTime.TotalSeconds:F1} s); peak open sessions {peakConnections}; victim stream fragments published meanwhile {victimFragments}.");
        foreach (var (kind, outcomes) in _outcomes.OrderBy(k => k.Key, StringComparer.Ordinal))
        {
            text.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"  {kind,-40} {outcomes.Values.Sum(),5}  {string.Join(", ", outcomes.OrderByDescending(o => o.Value).Select(o => $"{o.Key} x{o.Value}"))}");
        }

        text.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"Managed memory: before {before / 1024} KiB, after {after / 1024} KiB, delta {(after - before) / 1024} KiB (margin {MemoryMarginBytes / 1024} KiB); working set {Environment.WorkingSet / (1024 * 1024)} MiB.");
        var warnings = logs.Entries.Where(e => e.Level >= LogLevel.Warning).GroupBy(e => $"{e.Level} {e.Category}#{e.EventId.Id}").Select(g => $"{g.Key} x{g.Count()}");
        text.AppendLine("Node log entries at Warning or above: " + string.Join("; ", warnings.DefaultIfEmpty("none")));
        foreach (var error in logs.Entries.Where(e => e.Level >= LogLevel.Error).Take(5))
        {
            text.AppendLine("  " + error.Text[..Math.Min(error.Text.Length, 600)]);
        }

        return text.ToString();
    }

    // --- Input generation -------------------------------------------------------------------------------------------

    private const string Hs256 = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";

    private static string Token(string secret, string sub) =>
        Jwt(Hs256, $"{{\"sub\":\"{sub}\",\"exp\":{DateTimeOffset.UtcNow.AddMinutes(10).ToUnixTimeSeconds()}}}", secret);

    private static string Jwt(string header, string payload, string? secret)
    {
        var signed = B64(Encoding.UTF8.GetBytes(header)) + "." + B64(Encoding.UTF8.GetBytes(payload));
        if (secret is null)
        {
            return signed + ".";
        }

        var alg = header.Contains("HS512", StringComparison.Ordinal) ? 512 : header.Contains("HS384", StringComparison.Ordinal) ? 384 : 256;
        var key = Encoding.UTF8.GetBytes(secret);
        var data = Encoding.UTF8.GetBytes(signed);
        var signature = alg switch { 512 => HMACSHA512.HashData(key, data), 384 => HMACSHA384.HashData(key, data), _ => HMACSHA256.HashData(key, data) };
        return signed + "." + B64(signature);
    }

    private static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static readonly string[] Specials = [":", "&", "=", "%", "?", "#", "\0", "\u00ff", "\u202e", "\uFFFD", "%zz", "%00", "+", " ", "\n", "😀"];
    private static readonly string[] Values = ["", "-1", "0", "NaN", "1e309", "Infinity", "0x10", "%", "%zz", "%00", "2147483648", "true&stream=", "1,5", "  1 ", "\u0661"];

    private static string Mutate(Random random, string message)
    {
        var s = new StringBuilder(message);
        var n = random.Next(1, 5);
        for (var i = 0; i < n; i++)
        {
            var at = s.Length == 0 ? 0 : random.Next(s.Length);
            switch (random.Next(9))
            {
                case 0 when s.Length > 0:
                    s[at] = (char)random.Next(32, 127);
                    break;
                case 1 when s.Length > 0:
                    s.Remove(at, 1);
                    break;
                case 2:
                    s.Insert(at, random.GetItems(Specials, 1)[0]);
                    break;
                case 3 when s.Length > 0:
                    var len = random.Next(1, Math.Min(40, s.Length - at) + 1);
                    s.Insert(at, s.ToString(at, len));
                    break;
                case 4 when s.Length > 0:
                    s.Length = at;
                    break;
                case 5:
                    var text = s.ToString();
                    var eq = text.IndexOf('=', StringComparison.Ordinal);
                    var amp = eq < 0 ? -1 : text.IndexOf('&', eq);
                    var value = random.Next(10) == 0 ? new string('9', 400) : random.GetItems(Values, 1)[0];
                    s = new StringBuilder(eq < 0 ? text + ":duration=" + value : text[..(eq + 1)] + value + (amp < 0 ? string.Empty : text[amp..]));
                    break;
                case 6:
                    var colon = s.ToString().IndexOf(':', StringComparison.Ordinal);
                    var type = colon < 0 ? s.ToString() : s.ToString(0, colon);
                    s.Remove(0, type.Length).Insert(0, random.Next(2) == 0 ? type.ToLowerInvariant() : type + type);
                    break;
                case 7:
                    s.Append('&').Append(random.GetItems(["stream", "auth", "duration", "max_initial_fragments", "only_source", "code", "x"], 1)[0]).Append('=').Append(random.GetItems(Values, 1)[0]);
                    break;
                default:
                    s.Insert(0, random.GetItems(["PUSH:", "PULL:", "F:", "E:", "H:", ":", "&"], 1)[0]);
                    break;
            }
        }

        return s.ToString();
    }

    private static IEnumerable<byte> Chunks(byte[] text, int pieces)
    {
        var size = Math.Max(1, text.Length / pieces);
        for (var offset = 0; offset < text.Length; offset += size)
        {
            var last = offset + size >= text.Length;
            var opcode = offset == 0 ? RawTcpWebSocket.OpText : RawTcpWebSocket.OpContinuation;
            foreach (var b in RawTcpWebSocket.Frame(opcode, text.AsSpan(offset, Math.Min(size, text.Length - offset)), fin: last))
            {
                yield return b;
            }
        }
    }
}
