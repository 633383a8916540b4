using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Shop.OrderApi.Services;

/// <summary>The customers' carts: product id → quantity.</summary>
public interface ICartStore
{
    Task<IReadOnlyDictionary<Guid, int>> GetAsync(Guid customerId);

    /// <summary>Sets a line's quantity; false when the cart already holds the most distinct products allowed.</summary>
    Task<bool> SetAsync(Guid customerId, Guid productId, int quantity);

    Task RemoveAsync(Guid customerId, Guid productId);

    /// <summary>Takes what an order bought out of the cart, keeping whatever was added since.</summary>
    Task RemovePurchasedAsync(Guid customerId, IEnumerable<(Guid ProductId, int Quantity)> purchased);

    Task ClearAsync(Guid customerId);
}

/// <summary>
/// Carts in Redis, one hash per customer. Every read and write pushes the expiry out again, so a cart
/// lives until it has been left alone for <see cref="OrderOptions.CartLifetime"/>.
/// </summary>
public sealed class RedisCartStore(IConnectionMultiplexer redis, IOptions<OrderOptions> options) : ICartStore
{
    // Checking the size and adding a line is one atomic step, so concurrent adds cannot pass the limit.
    private const string SetLineScript = """
        if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 or redis.call('HLEN', KEYS[1]) < tonumber(ARGV[3]) then
            redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
            redis.call('PEXPIRE', KEYS[1], ARGV[4])
            return 1
        end
        return 0
        """;

    // Lowers each bought line by the quantity bought, dropping lines that reach zero, in one step.
    private const string RemovePurchasedScript = """
        for i = 1, #ARGV, 2 do
            local left = (tonumber(redis.call('HGET', KEYS[1], ARGV[i])) or 0) - tonumber(ARGV[i + 1])
            if left > 0 then redis.call('HSET', KEYS[1], ARGV[i], left) else redis.call('HDEL', KEYS[1], ARGV[i]) end
        end
        return 1
        """;

    private IDatabase Db => redis.GetDatabase();

    public async Task<IReadOnlyDictionary<Guid, int>> GetAsync(Guid customerId)
    {
        var key = Key(customerId);
        var entries = await Db.HashGetAllAsync(key);
        if (entries.Length > 0)
        {
            await Db.KeyExpireAsync(key, options.Value.CartLifetime);
        }

        return entries.ToDictionary(e => Guid.Parse(e.Name.ToString()), e => (int)e.Value);
    }

    public async Task<bool> SetAsync(Guid customerId, Guid productId, int quantity)
    {
        var result = await Db.ScriptEvaluateAsync(
            SetLineScript,
            [Key(customerId)],
            [productId.ToString(), quantity, options.Value.MaxCartItems, (long)options.Value.CartLifetime.TotalMilliseconds]);
        return (int)result == 1;
    }

    public async Task RemoveAsync(Guid customerId, Guid productId) => await Db.HashDeleteAsync(Key(customerId), productId.ToString());

    public async Task ClearAsync(Guid customerId) => await Db.KeyDeleteAsync(Key(customerId));

    public async Task RemovePurchasedAsync(Guid customerId, IEnumerable<(Guid ProductId, int Quantity)> purchased) =>
        await Db.ScriptEvaluateAsync(
            RemovePurchasedScript,
            [Key(customerId)],
            [.. purchased.SelectMany(line => new RedisValue[] { line.ProductId.ToString(), line.Quantity })]);

    private static RedisKey Key(Guid customerId) => $"cart:{customerId:N}";
}
