namespace HlsCdn.Tester.Bench;

/// <summary>
/// Delivery over all healthy spectators: fragments expected (published × spectators), delivered exactly, lost,
/// duplicated, out of order, corrupt, protocol errors; spectators that lost any, that saw <c>CLOSE</c>, and why
/// others ended (most frequent first, with counts).
/// </summary>
public sealed record DeliveryCheck(
    int Spectators,
    long Expected,
    long Delivered,
    long Lost,
    long Duplicates,
    long OutOfOrder,
    long Corrupt,
    long ProtocolErrors,
    int SpectatorsWithLoss,
    int SpectatorsClosed,
    IReadOnlyList<string> Failures)
{
    /// <summary>Every fragment delivered to every spectator exactly once, in order, byte for byte, and every stream ended with CLOSE.</summary>
    public bool IsClean => Delivered == Expected && Lost == 0 && Duplicates == 0 && OutOfOrder == 0 && Corrupt == 0 && ProtocolErrors == 0 && SpectatorsClosed == Spectators;

    /// <summary>Sums the tallies.</summary>
    public static DeliveryCheck From(IReadOnlyList<SpectatorTally> tallies, long expectedPerSpectator)
    {
        long delivered = 0, lost = 0, duplicates = 0, outOfOrder = 0, corrupt = 0, protocolErrors = 0;
        int withLoss = 0, closed = 0;
        var failures = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var t in tallies)
        {
            delivered += t.Delivered;
            var tallyLost = expectedPerSpectator - t.Distinct;
            lost += tallyLost;
            duplicates += t.Duplicates;
            outOfOrder += t.OutOfOrder;
            corrupt += t.Corrupt;
            protocolErrors += t.ProtocolErrors;
            withLoss += tallyLost > 0 ? 1 : 0;
            closed += t.Closed ? 1 : 0;
            if (t.Failure is { } failure)
            {
                failures[failure] = failures.GetValueOrDefault(failure) + 1;
            }
        }

        return new DeliveryCheck(
            tallies.Count,
            expectedPerSpectator * tallies.Count,
            delivered,
            lost,
            duplicates,
            outOfOrder,
            corrupt,
            protocolErrors,
            withLoss,
            closed,
            [.. failures.OrderByDescending(f => f.Value).Take(5).Select(f => $"{f.Value} x {f.Key}")]);
    }
}
