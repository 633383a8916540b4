using Shop.OrderApi.Clients;
using Shop.OrderApi.Contracts;
using Shop.ServiceDefaults.Resilience;

namespace Shop.OrderApi.Services;

/// <summary>
/// The cart as the customer sees it: quantities from Redis, names and prices from order-api's copies of the
/// catalog's products (<see cref="ProductCopies"/>), so it works while catalog-api is away; the catalog's own
/// answer, when it gives one, brings a copy that is behind up to date. Stock is not copied
/// (it changes with every order): availability is asked of the catalog, for at most
/// <see cref="AvailabilityWait"/>, and left out of the answer when the catalog does not answer in time.
/// </summary>
public sealed class CartService(ICartStore carts, ProductCopies copies, CatalogClient catalog, ILogger<CartService> logger)
{
    /// <summary>How long a cart waits for the catalog's stock figures before it is shown without them.</summary>
    public static readonly TimeSpan AvailabilityWait = TimeSpan.FromSeconds(1.5);

    public async Task<CartResponse> GetAsync(Guid customerId, CancellationToken cancellationToken)
    {
        var lines = await carts.GetAsync(customerId);
        var known = await copies.FindAsync([.. lines.Keys], cancellationToken);
        var live = await CatalogNowAsync([.. lines.Keys], cancellationToken);
        if (live is not null && live.Values.Where(p => !known.TryGetValue(p.Id, out var copy) || copy.Revision < p.Revision).ToList() is { Count: > 0 } newer)
        {
            // Products this service has not heard of yet start their copies from the catalog's answer; a copy behind
            // it (an event still on its way, or one that became a dead letter) catches up.
            await copies.KeepAsync(newer, cancellationToken);
            known = await copies.FindAsync([.. lines.Keys], cancellationToken);
        }

        var items = lines
            .Select(line =>
            {
                if (!known.TryGetValue(line.Key, out var product))
                {
                    return new CartItemResponse(line.Key, null, null, null, line.Value, null, live is null ? null : 0, false);
                }

                // A product the catalog no longer lists is no longer on sale, whatever the copy still says.
                int? available = live is null ? null : live.TryGetValue(line.Key, out var now) ? now.Available : 0;
                var canBeOrdered = product.IsActive && (available is null || available >= line.Value);
                return new CartItemResponse(line.Key, product.Sku, product.Name, product.Price, line.Value, product.Price * line.Value, available, canBeOrdered);
            })
            .OrderBy(item => item.Name ?? "\uffff")
            .ToList();
        return new CartResponse(
            items,
            items.Sum(item => item.LineTotal ?? 0m),
            known.Values.Select(p => p.Currency).FirstOrDefault(),
            items.Count > 0 && items.All(item => item.CanBeOrdered),
            AvailabilityKnown: live is not null || items.Count == 0);
    }

    /// <summary>The catalog's products as they are now, or null when it does not answer within <see cref="AvailabilityWait"/>.</summary>
    private async Task<IReadOnlyDictionary<Guid, CatalogProduct>?> CatalogNowAsync(IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return new Dictionary<Guid, CatalogProduct>();
        }

        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(AvailabilityWait);
        try
        {
            return (await catalog.GetProductsAsync(ids, wait.Token)).ToDictionary(p => p.Id);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is DependencyUnavailableException or OperationCanceledException)
        {
            Log.CartWithoutAvailability(logger, ex.Message);
            return null;
        }
    }
}
