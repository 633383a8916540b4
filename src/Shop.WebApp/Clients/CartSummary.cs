using System.Security.Claims;
using StackExchange.Redis;

namespace Shop.WebApp.Clients;

/// <summary>
/// The number of items in the header's cart badge. Asking order-api for the cart on every page would cost a cart read
/// (and a stock check) per page view, so the count is kept in Redis for a minute and replaced whenever this app changes
/// the cart; a change made elsewhere (another device) shows within that minute.
/// </summary>
public sealed class CartSummary(IConnectionMultiplexer redis, IServiceProvider services)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);

    /// <summary>The count, or null when it cannot be known now (order-api or Redis away): the header then shows none, and the page works.</summary>
    public async Task<int?> GetCountAsync(ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (user.FindFirstValue(ClaimTypes.NameIdentifier) is not { } userId)
        {
            return null;
        }

        try
        {
            var cached = await redis.GetDatabase().StringGetAsync(Key(userId));
            if (cached.HasValue && cached.TryParse(out int count))
            {
                return count;
            }

            // Resolved here, not injected: the layout of an anonymous page must not need order-api's client.
            var cart = await services.GetRequiredService<OrderClient>().GetCartAsync(cancellationToken);
            await RememberAsync(user, cart);
            return cart.Count;
        }
        catch (Exception e) when (e is ServiceUnavailableException or RedisException)
        {
            return null;
        }
    }

    public Task RememberAsync(ClaimsPrincipal user, Cart cart) =>
        user.FindFirstValue(ClaimTypes.NameIdentifier) is { } userId
            ? BestEffortAsync(() => redis.GetDatabase().StringSetAsync(Key(userId), cart.Count, Lifetime))
            : Task.CompletedTask;

    public Task ForgetAsync(ClaimsPrincipal user) =>
        user.FindFirstValue(ClaimTypes.NameIdentifier) is { } userId ? BestEffortAsync(() => redis.GetDatabase().KeyDeleteAsync(Key(userId))) : Task.CompletedTask;

    /// <summary>The count is a convenience: a Redis that is away costs a stale or missing badge, never the page.</summary>
    private static async Task BestEffortAsync(Func<Task> write)
    {
        try
        {
            await write();
        }
        catch (RedisException)
        {
        }
    }

    private static RedisKey Key(string userId) => $"webapp:cart-count:{userId}";
}
