using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Shop.CatalogApi.Contracts;
using Shop.CatalogApi.Infrastructure;

namespace Shop.CatalogApi.Services;

/// <summary>
/// Product pages. A read by id is answered from this replica's <see cref="ProductCache"/> once the
/// <see cref="ProductChangeFeed"/> has caught up with every write committed before the read began, so
/// a write is visible on every replica at once, without a query per read. A read by slug, and every read
/// while the feed is down, goes to the database.
/// </summary>
public sealed class ProductCatalog(CatalogDbContext db, ProductCache cache, ProductChangeFeed changes, IOptions<CatalogOptions> options)
{
    public async Task<ProductView?> FindByIdAsync(Guid id, bool includeInactive, CancellationToken cancellationToken)
    {
        ProductView? view;
        try
        {
            await changes.CatchUpAsync(cancellationToken);
            view = await cache.GetOrLoadAsync(id, options.Value.Currency, cancellationToken);
        }
        catch (ProductChangeFeedUnavailableException)
        {
            view = await LoadAsync(db, p => p.Id == id, options.Value.Currency, cancellationToken);
        }

        return view is not null && (includeInactive || view.Product.IsActive) ? view : null;
    }

    public async Task<ProductView?> FindBySlugAsync(string slug, bool includeInactive, CancellationToken cancellationToken)
    {
        var view = await LoadAsync(db, p => p.Slug == slug, options.Value.Currency, cancellationToken);
        return view is not null && (includeInactive || view.Product.IsActive) ? view : null;
    }

    /// <summary>Drops this replica's entry after a write here; every replica also drops it when the write's notification arrives.</summary>
    public void Forget(Guid productId) => cache.Forget(productId);

    /// <summary>The product with its category and the units available now: one query over three primary keys.</summary>
    internal static Task<ProductView?> LoadAsync(
        CatalogDbContext db, System.Linq.Expressions.Expression<Func<Model.Product, bool>> match, string currency, CancellationToken cancellationToken) =>
        db.Products.AsNoTracking()
            .Where(match)
            .Join(db.Stock, p => p.Id, s => s.ProductId, (p, s) => new { p, s })
            .Join(db.Categories, x => x.p.CategoryId, c => c.Id, (x, c) => new ProductView(
                new ProductResponse(
                    x.p.Id, x.p.Sku, x.p.Name, x.p.Slug, x.p.Description, x.p.Brand, new CategoryResponse(c.Id, c.Name, c.Slug, c.ParentId),
                    x.p.Price, currency, x.p.ImageUrls, x.p.IsActive, x.s.OnHand - x.s.Reserved, x.s.UnitsSold, x.p.CreatedAt, x.p.UpdatedAt),
                ProductETag.Create(x.p.Version, c.Version, x.s.Version)))
            .SingleOrDefaultAsync(cancellationToken);
}

/// <summary>
/// Product pages by id, as this replica last read them, available units included. Entries are dropped
/// when <see cref="ProductChangeFeed"/> reports a change; a load that a change overtakes is handed to
/// the readers that were already waiting for it but not kept. Bounded: when full, it starts over.
/// Nothing is cached for an unknown product.
/// </summary>
public sealed class ProductCache(IServiceScopeFactory scopes, IOptions<CatalogOptions> options)
{
    private readonly ConcurrentDictionary<Guid, Task<ProductView?>> entries = new();

    public async Task<ProductView?> GetOrLoadAsync(Guid id, string currency, CancellationToken cancellationToken)
    {
        if (entries.TryGetValue(id, out var known))
        {
            return await known.WaitAsync(cancellationToken);
        }

        if (entries.Count >= options.Value.ProductCacheSize)
        {
            entries.Clear();
        }

        // The entry goes in before the load starts, so a change committed while it runs removes it.
        var load = new TaskCompletionSource<ProductView?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var entry = entries.GetOrAdd(id, load.Task);
        if (entry == load.Task)
        {
            _ = FillAsync(id, currency, load);
        }

        return await entry.WaitAsync(cancellationToken);
    }

    public void Forget(Guid productId) => entries.TryRemove(productId, out _);

    /// <summary>A notification's payload: a product id, or '*' for "anything may have changed".</summary>
    public void Forget(string payload)
    {
        if (Guid.TryParse(payload, out var productId))
        {
            Forget(productId);
        }
        else
        {
            Clear();
        }
    }

    public void Clear() => entries.Clear();

    // Its own DbContext, and no caller's cancellation: the load serves every reader waiting on the entry and
    // may outlive the request that started it.
    private async Task FillAsync(Guid id, string currency, TaskCompletionSource<ProductView?> load)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var view = await ProductCatalog.LoadAsync(scope.ServiceProvider.GetRequiredService<CatalogDbContext>(), p => p.Id == id, currency, CancellationToken.None);
            if (view is null)
            {
                entries.TryRemove(new KeyValuePair<Guid, Task<ProductView?>>(id, load.Task));
            }

            load.SetResult(view);
        }
        catch (Exception ex)
        {
            entries.TryRemove(new KeyValuePair<Guid, Task<ProductView?>>(id, load.Task));
            load.SetException(ex);
        }
    }
}

public sealed record ProductView(ProductResponse Product, string ETag);
