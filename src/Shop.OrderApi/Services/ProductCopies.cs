using Microsoft.EntityFrameworkCore;
using Shop.OrderApi.Clients;
using Shop.OrderApi.Infrastructure;
using Shop.OrderApi.Model;

namespace Shop.OrderApi.Services;

/// <summary>
/// order-api's copies of catalog products (<see cref="ProductCopy"/>): kept up to date by catalog-api's
/// <c>ProductChanged</c> events, and filled from the catalog the first time a product is asked for (a product
/// created before this service listened, or whose event is still on its way).
/// </summary>
public sealed class ProductCopies(OrderDbContext db, CatalogClient catalog, TimeProvider timeProvider)
{
    /// <summary>The copies of these products that exist; products never heard of are missing from the answer.</summary>
    public async Task<IReadOnlyDictionary<Guid, ProductCopy>> FindAsync(IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken) =>
        ids.Count == 0 ? new Dictionary<Guid, ProductCopy>() : await db.ProductCopies.AsNoTracking().Where(p => ids.Contains(p.Id)).ToDictionaryAsync(p => p.Id, cancellationToken);

    /// <summary>
    /// The copy of one product, asking the catalog when there is none yet (and keeping its answer). Null when the
    /// catalog does not sell it; <c>DependencyUnavailableException</c> when there is no copy and the catalog is away.
    /// </summary>
    public async Task<ProductCopy?> FindOrFetchAsync(Guid id, CancellationToken cancellationToken)
    {
        if ((await FindAsync([id], cancellationToken)).TryGetValue(id, out var copy))
        {
            return copy;
        }

        var products = await catalog.GetProductsAsync([id], cancellationToken);
        var fetched = products.Select(FromCatalog).SingleOrDefault();
        if (fetched is not null)
        {
            await KeepAsync(db, fetched, cancellationToken);
        }

        return fetched;
    }

    /// <summary>Keeps the catalog's answer as the products' copies, where no copy of the same or a higher revision is there.</summary>
    public async Task KeepAsync(IEnumerable<CatalogProduct> products, CancellationToken cancellationToken)
    {
        foreach (var product in products)
        {
            await KeepAsync(db, FromCatalog(product), cancellationToken);
        }
    }

    /// <summary>
    /// Writes the copy unless one of the same or a higher revision is already there: one statement, so two writers
    /// of the same product (an event and a read of the catalog, or two replicas) leave the highest revision.
    /// </summary>
    public static Task KeepAsync(OrderDbContext db, ProductCopy copy, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync($"""
            INSERT INTO product_copies (id, revision, sku, name, price, currency, is_active, copied_at)
            VALUES ({copy.Id}, {copy.Revision}, {copy.Sku}, {copy.Name}, {copy.Price}, {copy.Currency}, {copy.IsActive}, {copy.CopiedAt})
            ON CONFLICT (id) DO UPDATE SET
                revision = excluded.revision, sku = excluded.sku, name = excluded.name, price = excluded.price,
                currency = excluded.currency, is_active = excluded.is_active, copied_at = excluded.copied_at
            WHERE product_copies.revision < excluded.revision
            """, cancellationToken);

    private ProductCopy FromCatalog(CatalogProduct product) =>
        new(product.Id, product.Revision, product.Sku, product.Name, product.Price, product.Currency, product.IsActive, timeProvider.GetUtcNow());
}
