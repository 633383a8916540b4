using Shop.IntegrationEvents.Catalog;
using Shop.OrderApi.Infrastructure;
using Shop.OrderApi.Model;
using Shop.OrderApi.Services;

namespace Shop.OrderApi.Events;

/// <summary>
/// Keeps order-api's copy of a product from catalog-api's <see cref="ProductChanged"/>. Idempotent and
/// order-independent: the copy only moves to a higher revision, so a redelivered or late event changes nothing.
/// </summary>
public sealed class ProductChangedHandler(TimeProvider timeProvider, ILogger<ProductChangedHandler> logger)
{
    public async Task Handle(ProductChanged changed, OrderDbContext db, CancellationToken cancellationToken)
    {
        await ProductCopies.KeepAsync(
            db,
            new ProductCopy(changed.ProductId, changed.Revision, changed.Sku, changed.Name, changed.Price, changed.Currency, changed.IsActive, timeProvider.GetUtcNow()),
            cancellationToken);
        Log.ProductCopied(logger, changed.EventId, changed.ProductId, changed.Revision);
    }
}
