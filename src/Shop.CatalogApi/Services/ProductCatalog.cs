using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Options;
using Shop.CatalogApi.Contracts;
using Shop.CatalogApi.Infrastructure;
using Shop.CatalogApi.Model;

namespace Shop.CatalogApi.Services;

/// <summary>
/// Product details for product pages, cached in HybridCache (memory, then Redis) under a key that holds
/// the product's and its category's row versions. Each read first asks Postgres for those versions and
/// the live available stock (one primary-key lookup), so a write is visible on every replica the moment
/// it commits: a changed row has a new version, hence a new key, and no replica can serve the old
/// entry, without any invalidation message racing the next read. Writes also remove the old entries
/// to free memory.
/// </summary>
public sealed class ProductCatalog(CatalogDbContext db, HybridCache cache, IServiceScopeFactory scopes, IOptions<CatalogOptions> options)
{
    private static readonly HybridCacheEntryOptions EntryOptions = new()
    {
        Expiration = TimeSpan.FromMinutes(30),
        LocalCacheExpiration = TimeSpan.FromMinutes(10),
    };

    public Task<ProductView?> FindByIdAsync(Guid id, bool includeInactive, CancellationToken cancellationToken) =>
        FindAsync(p => p.Id == id, includeInactive, cancellationToken);

    public Task<ProductView?> FindBySlugAsync(string slug, bool includeInactive, CancellationToken cancellationToken) =>
        FindAsync(p => p.Slug == slug, includeInactive, cancellationToken);

    /// <summary>Frees the cached entries of a product after a write; correctness does not depend on it.</summary>
    public ValueTask ForgetAsync(Guid productId, CancellationToken cancellationToken) =>
        cache.RemoveByTagAsync(Tag(productId), cancellationToken);

    private async Task<ProductView?> FindAsync(Expression<Func<Product, bool>> match, bool includeInactive, CancellationToken cancellationToken)
    {
        var head = await db.Products.AsNoTracking()
            .Where(match)
            .Where(p => includeInactive || p.IsActive)
            .Join(db.Stock, p => p.Id, s => s.ProductId, (p, s) => new { p.Id, p.Version, p.CategoryId, Available = s.OnHand - s.Reserved, StockVersion = s.Version })
            .Join(db.Categories, x => x.CategoryId, c => c.Id, (x, c) => new { x.Id, x.Version, x.Available, x.StockVersion, CategoryVersion = c.Version })
            .SingleOrDefaultAsync(cancellationToken);
        if (head is null)
        {
            return null;
        }

        // The fill gets a DbContext of its own: HybridCache runs one fill for every caller waiting on the
        // key, and it may outlive the request that started it (that caller hung up while others wait), whose
        // pooled context would by then be back in the pool and serving another request.
        var product = await cache.GetOrCreateAsync(
            $"catalog:product:{head.Id:N}:{head.Version}:{head.CategoryVersion}",
            (scopes, head.Id),
            static async (state, ct) =>
            {
                await using var scope = state.scopes.CreateAsyncScope();
                return await LoadAsync(scope.ServiceProvider.GetRequiredService<CatalogDbContext>(), state.Id, ct);
            },
            EntryOptions,
            [Tag(head.Id)],
            cancellationToken);

        return new ProductView(product.ToResponse(options.Value.Currency, head.Available), ProductETag.Create(head.Version, head.CategoryVersion, head.StockVersion));
    }

    private static async Task<CachedProduct> LoadAsync(CatalogDbContext db, Guid id, CancellationToken cancellationToken) =>
        await db.Products.AsNoTracking()
            .Where(p => p.Id == id)
            .Join(db.Categories, p => p.CategoryId, c => c.Id, (p, c) => new CachedProduct(
                p.Id, p.Sku, p.Name, p.Slug, p.Description, p.Brand, new CategoryResponse(c.Id, c.Name, c.Slug, c.ParentId),
                p.Price, p.ImageUrls, p.IsActive, p.CreatedAt, p.UpdatedAt))
            .SingleAsync(cancellationToken);

    private static string Tag(Guid productId) => $"product:{productId:N}";
}

/// <summary>What the cache holds: everything but the live stock.</summary>
public sealed record CachedProduct(
    Guid Id, string Sku, string Name, string Slug, string Description, string Brand, CategoryResponse Category,
    decimal Price, List<string> ImageUrls, bool IsActive, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public ProductResponse ToResponse(string currency, int available) =>
        new(Id, Sku, Name, Slug, Description, Brand, Category, Price, currency, ImageUrls, IsActive, available, CreatedAt, UpdatedAt);
}

public sealed record ProductView(ProductResponse Product, string ETag);
