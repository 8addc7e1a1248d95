using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace HlsCdn.Node.Registry;

/// <summary>
/// The publish registry on Redis (or Garnet, Valkey, Azure Cache for Redis) through StackExchange.Redis.
/// Compare-and-delete and the guarded refresh use a transaction with a condition (WATCH/MULTI/EXEC), which every
/// RESP server here supports, rather than a Lua script.
/// </summary>
public sealed class RedisPublishRegistry(IConnectionMultiplexer redis, IOptions<RegistryOptions> options) : IPublishRegistry
{
    private readonly RegistryOptions _options = options.Value;

    private IDatabase Db => redis.GetDatabase();

    public bool IsAvailable => redis.IsConnected;

    public Task AnnounceAsync(string streamId, string nodeUrl, CancellationToken cancellationToken) =>
        Db.StringSetAsync(Key(streamId), nodeUrl, _options.Expiry).WaitAsync(cancellationToken);

    public async Task<bool> RefreshAsync(string streamId, string nodeUrl, CancellationToken cancellationToken)
    {
        var key = Key(streamId);
        var transaction = Db.CreateTransaction();
        transaction.AddCondition(Condition.StringEqual(key, nodeUrl));
        _ = transaction.KeyExpireAsync(key, _options.Expiry);
        if (await transaction.ExecuteAsync().WaitAsync(cancellationToken).ConfigureAwait(false))
        {
            return true;
        }

        // Expired (e.g. after a registry outage): claim it again, but never overwrite another node's entry.
        return await Db.StringSetAsync(key, nodeUrl, _options.Expiry, When.NotExists).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<string?> LookupAsync(string streamId, CancellationToken cancellationToken)
    {
        var value = await Db.StringGetAsync(Key(streamId)).WaitAsync(cancellationToken).ConfigureAwait(false);
        return value.HasValue ? value.ToString() : null;
    }

    public async Task<bool> RemoveAsync(string streamId, string nodeUrl, CancellationToken cancellationToken)
    {
        var key = Key(streamId);
        var transaction = Db.CreateTransaction();
        transaction.AddCondition(Condition.StringEqual(key, nodeUrl));
        _ = transaction.KeyDeleteAsync(key);
        return await transaction.ExecuteAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private RedisKey Key(string streamId) => _options.KeyPrefix + streamId;
}
