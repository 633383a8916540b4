using Microsoft.Extensions.Options;
using Shop.ServiceDefaults.Resilience;
using StackExchange.Redis;

namespace Shop.OrderApi.Services;

/// <summary>
/// The customers' carts: product id → quantity. A store that cannot be reached throws
/// <see cref="DependencyUnavailableException"/> (a 503 with Retry-After at the edge).
/// </summary>
public interface ICartStore
{
    Task<IReadOnlyDictionary<Guid, int>> GetAsync(Guid customerId);

    /// <summary>Sets a line's quantity; false when the cart already holds the most distinct products allowed.</summary>
    Task<bool> SetAsync(Guid customerId, Guid productId, int quantity);

    /// <summary>
    /// Adds to a line (starting it when the cart has none of the product) in one step, so that adds arriving together
    /// all count. Refused when the line would pass <paramref name="maxQuantity"/> or a new line would pass the cart's size.
    /// With an <paramref name="idempotencyKey"/>, an addition already made under it is not made again (for as long as
    /// the cart lives), and the key with another addition is refused.
    /// </summary>
    Task<CartAddition> AddAsync(Guid customerId, Guid productId, int quantity, int maxQuantity, string? idempotencyKey);

    Task RemoveAsync(Guid customerId, Guid productId);

    /// <summary>
    /// Takes what an order bought out of the cart, keeping whatever was added since. Once per order:
    /// asked again for the same order (a retry, or two drivers of it), it changes nothing.
    /// </summary>
    Task RemovePurchasedAsync(Guid customerId, Guid orderId, IEnumerable<(Guid ProductId, int Quantity)> purchased);

    Task ClearAsync(Guid customerId);

    /// <summary>Deletes everything kept for the customer: the cart and the record of orders taken out of it.</summary>
    Task ForgetAsync(Guid customerId);
}

/// <summary>
/// Carts in Redis, one hash per customer. Every read and write pushes the expiry out again, so a cart
/// lives until it has been left alone for <see cref="OrderOptions.CartLifetime"/>.
/// </summary>
public sealed class RedisCartStore(IConnectionMultiplexer redis, IOptions<OrderOptions> options) : ICartStore
{
    private const string Service = "cart store (Redis)";

    // Checking the size and adding a line is one atomic step, so concurrent adds cannot pass the limit.
    private const string SetLineScript = """
        if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 or redis.call('HLEN', KEYS[1]) < tonumber(ARGV[3]) then
            redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
            redis.call('PEXPIRE', KEYS[1], ARGV[4])
            return 1
        end
        return 0
        """;

    // Reads the line, checks both limits and writes the sum as one step. Answers {1, new quantity}, {0, quantity held}
    // when the line would pass its limit, {-1, 0} when a new line would pass the cart's size, {2, quantity held} when
    // the idempotency key (ARGV[6], optional) already made this addition, {-2, 0} when it made another one. The keys
    // used live beside the cart (key -> "product:quantity") as long as it does.
    private const string AddToLineScript = """
        local held = tonumber(redis.call('HGET', KEYS[1], ARGV[1])) or 0
        local addition = ARGV[1] .. ':' .. ARGV[2]
        if ARGV[6] ~= '' then
            local made = redis.call('HGET', KEYS[2], ARGV[6])
            if made == addition then return {2, held} end
            if made then return {-2, 0} end
        end
        if held == 0 and redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[3]) then return {-1, 0} end
        local total = held + tonumber(ARGV[2])
        if total > tonumber(ARGV[4]) then return {0, held} end
        redis.call('HSET', KEYS[1], ARGV[1], total)
        redis.call('PEXPIRE', KEYS[1], ARGV[5])
        if ARGV[6] ~= '' then
            redis.call('HSET', KEYS[2], ARGV[6], addition)
            redis.call('PEXPIRE', KEYS[2], ARGV[5])
        end
        return {1, total}
        """;

    // Lowers each bought line by the quantity bought, dropping lines that reach zero, in one step, unless
    // this order's purchase was already taken out (the set of orders applied lives beside the cart).
    private const string RemovePurchasedScript = """
        if redis.call('SADD', KEYS[2], ARGV[1]) == 0 then return 0 end
        redis.call('PEXPIRE', KEYS[2], ARGV[2])
        for i = 3, #ARGV, 2 do
            local left = (tonumber(redis.call('HGET', KEYS[1], ARGV[i])) or 0) - tonumber(ARGV[i + 1])
            if left > 0 then redis.call('HSET', KEYS[1], ARGV[i], left) else redis.call('HDEL', KEYS[1], ARGV[i]) end
        end
        return 1
        """;

    private IDatabase Db => redis.GetDatabase();

    public Task<IReadOnlyDictionary<Guid, int>> GetAsync(Guid customerId) => CallAsync<IReadOnlyDictionary<Guid, int>>(async () =>
    {
        var key = CartKey(customerId);
        var entries = await Db.HashGetAllAsync(key);
        if (entries.Length > 0)
        {
            await Db.KeyExpireAsync(key, options.Value.CartLifetime);
        }

        return entries.ToDictionary(e => Guid.Parse(e.Name.ToString()), e => (int)e.Value);
    });

    public Task<bool> SetAsync(Guid customerId, Guid productId, int quantity) => CallAsync(async () =>
    {
        var result = await Db.ScriptEvaluateAsync(
            SetLineScript,
            [CartKey(customerId)],
            [productId.ToString(), quantity, options.Value.MaxCartItems, (long)options.Value.CartLifetime.TotalMilliseconds]);
        return (int)result == 1;
    });

    public Task<CartAddition> AddAsync(Guid customerId, Guid productId, int quantity, int maxQuantity, string? idempotencyKey) => CallAsync<CartAddition>(async () =>
    {
        var result = (RedisResult[])(await Db.ScriptEvaluateAsync(
            AddToLineScript,
            [CartKey(customerId), AdditionsKey(customerId)],
            [productId.ToString(), quantity, options.Value.MaxCartItems, maxQuantity, (long)options.Value.CartLifetime.TotalMilliseconds, idempotencyKey ?? ""]))!;
        return (int)result[0] switch
        {
            1 => new CartAddition.Added((int)result[1]),
            2 => new CartAddition.AlreadyAdded((int)result[1]),
            0 => new CartAddition.TooMany((int)result[1]),
            -1 => new CartAddition.CartFull(),
            _ => new CartAddition.KeyReused(),
        };
    });

    public Task RemoveAsync(Guid customerId, Guid productId) => CallAsync(() => Db.HashDeleteAsync(CartKey(customerId), productId.ToString()));

    public Task ClearAsync(Guid customerId) => CallAsync(() => Db.KeyDeleteAsync(CartKey(customerId)));

    public Task ForgetAsync(Guid customerId) => CallAsync(() => Db.KeyDeleteAsync([CartKey(customerId), AppliedOrdersKey(customerId), AdditionsKey(customerId)]));

    public Task RemovePurchasedAsync(Guid customerId, Guid orderId, IEnumerable<(Guid ProductId, int Quantity)> purchased) => CallAsync(() =>
        Db.ScriptEvaluateAsync(
            RemovePurchasedScript,
            [CartKey(customerId), AppliedOrdersKey(customerId)],
            [orderId.ToString(), (long)options.Value.CartLifetime.TotalMilliseconds,
                .. purchased.SelectMany(line => new RedisValue[] { line.ProductId.ToString(), line.Quantity })]));

    /// <summary>Redis down, timing out or refusing: the cart cannot be read or changed now, try again shortly.</summary>
    private static async Task<T> CallAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (Exception ex) when (ex is RedisException or RedisTimeoutException)
        {
            throw new DependencyUnavailableException(Service, ex.Message, ex);
        }
    }

    // The customer id is the keys' hash tag ({...}), so a customer's keys share one slot of a Redis
    // cluster and the cleanup script may touch both.
    private static RedisKey CartKey(Guid customerId) => $"cart:{{{customerId:N}}}";

    private static RedisKey AppliedOrdersKey(Guid customerId) => $"cart:{{{customerId:N}}}:orders";

    private static RedisKey AdditionsKey(Guid customerId) => $"cart:{{{customerId:N}}}:additions";
}

/// <summary>How adding to a cart line ended.</summary>
public abstract record CartAddition
{
    private CartAddition()
    {
    }

    /// <summary>Added: the line now holds <paramref name="Quantity"/>.</summary>
    public sealed record Added(int Quantity) : CartAddition;

    /// <summary>Refused: the line holds <paramref name="Held"/> and the addition would pass its limit.</summary>
    public sealed record TooMany(int Held) : CartAddition;

    /// <summary>Refused: the cart holds as many different products as it may.</summary>
    public sealed record CartFull : CartAddition;

    /// <summary>Made before under the same idempotency key: nothing added now; the line holds <paramref name="Quantity"/>.</summary>
    public sealed record AlreadyAdded(int Quantity) : CartAddition;

    /// <summary>Refused: the idempotency key made a different addition.</summary>
    public sealed record KeyReused : CartAddition;
}
