using Shop.CatalogApi.Model;
using Shop.IntegrationEvents.Catalog;

namespace Shop.CatalogApi.Events;

public static class ProductEvents
{
    /// <summary>The product as it is now, for the services that keep a copy of it.</summary>
    public static ProductChanged Changed(this Product product, string currency, DateTimeOffset now) =>
        new(Guid.CreateVersion7(now), now, product.Id, product.Revision, product.Sku, product.Name, product.Price, currency, product.IsActive);
}
