using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Shop.CatalogApi.Contracts;
using Shop.CatalogApi.Infrastructure;
using Shop.CatalogApi.Model;

namespace Shop.CatalogApi.Services;

/// <summary>
/// Product search with Postgres full-text ranking and keyset paging. Every order is total (its key ends
/// with the id), and a page continues strictly after the previous page's last row, so walking the pages
/// returns each matching product once even while products are being added, and a deep page costs what
/// the first does.
/// </summary>
public sealed class ProductSearch(CatalogDbContext db, IOptions<CatalogOptions> options)
{
    private const string TextSearchConfiguration = "english";

    public async Task<ProductPage> SearchAsync(ProductQuery query, CancellationToken cancellationToken)
    {
        var matches = await FilteredAsync(query, cancellationToken);
        if (query.InStockOnly)
        {
            matches = matches.Where(p => db.Stock.Any(s => s.ProductId == p.Id && s.OnHand - s.Reserved > 0));
        }

        // The page's keys first, then its rows. Sorting only each match's keys (rank, price, id) under the
        // LIMIT lets Postgres keep the best rows in a small in-memory heap; with the wide rows and the stock
        // join below the LIMIT it sorted every match whole, and at a million products a text query matching
        // 100,000 of them spilled that sort to disk (bench/README.md, "Search at a million products").
        var keys = InOrderAfter(Ranked(matches, query), query.Sort, query.After)
            .Take(query.Limit + 1)
            .Select(r => new { r.Product.Id, r.Rank });
        var rows = from key in keys
                   join p in db.Products.AsNoTracking() on key.Id equals p.Id
                   join s in db.Stock on p.Id equals s.ProductId
                   select new SearchRow { Product = p, Available = s.OnHand - s.Reserved, UnitsSold = s.UnitsSold, Rank = key.Rank };

        var currency = options.Value.Currency;
        var page = await InOrderAfter(rows, query.Sort, after: null)
            .Select(r => new
            {
                Summary = new ProductSummary(
                    r.Product.Id, r.Product.Sku, r.Product.Name, r.Product.Slug, r.Product.Brand, r.Product.CategoryId, r.Product.Price, currency,
                    r.Product.ImageUrls.Count > 0 ? r.Product.ImageUrls[0] : null, r.Available, r.Product.IsActive, r.Product.Revision),
                r.Rank,
                r.UnitsSold,
            })
            .ToListAsync(cancellationToken);

        string? nextCursor = null;
        if (page.Count > query.Limit)
        {
            page.RemoveAt(page.Count - 1);
            var last = page[^1];
            nextCursor = new ProductCursor(query.Sort, query.Fingerprint(), last.Summary.Price, last.Rank, last.UnitsSold, last.Summary.Id).Encode();
        }

        return new ProductPage([.. page.Select(p => p.Summary)], nextCursor);
    }

    /// <summary>The products the query's filters let through, in no order.</summary>
    private async Task<IQueryable<Product>> FilteredAsync(ProductQuery query, CancellationToken cancellationToken)
    {
        var products = db.Products.AsNoTracking();
        if (!query.IncludeInactive)
        {
            products = products.Where(p => p.IsActive);
        }

        if (query.CategorySlug is { } slug)
        {
            var categoryIds = await SubtreeAsync(slug, cancellationToken);
            products = products.Where(p => categoryIds.Contains(p.CategoryId));
        }

        if (query.Brand is { } brand)
        {
            var lowerBrand = brand.ToLowerInvariant();
            products = products.Where(p => p.Brand.ToLower() == lowerBrand);
        }

        if (query.MinPrice is { } minPrice)
        {
            products = products.Where(p => p.Price >= minPrice);
        }

        if (query.MaxPrice is { } maxPrice)
        {
            products = products.Where(p => p.Price <= maxPrice);
        }

        // websearch_to_tsquery accepts anything a person types (quotes, or, -exclusions) without syntax errors.
        if (query.Text is { } text)
        {
            products = products.Where(p => p.SearchVector.Matches(EF.Functions.WebSearchToTsQuery(TextSearchConfiguration, text)));
        }

        return products;
    }

    /// <summary>
    /// Each product with its relevance to a text search (0 without one); its stock is read for the page alone,
    /// except the units sold when they are what the products are sorted by.
    /// </summary>
    private IQueryable<SearchRow> Ranked(IQueryable<Product> products, ProductQuery query)
    {
        var text = query.Text ?? string.Empty;
        if (query.Sort == ProductSort.Bestselling)
        {
            return products.Join(db.Stock, p => p.Id, s => s.ProductId, (p, s) => new SearchRow
            {
                Product = p,
                UnitsSold = s.UnitsSold,
                Rank = query.Text == null ? 0f : p.SearchVector.Rank(EF.Functions.WebSearchToTsQuery(TextSearchConfiguration, text)),
            });
        }

        return products.Select(p => new SearchRow
        {
            Product = p,
            Rank = query.Text == null ? 0f : p.SearchVector.Rank(EF.Functions.WebSearchToTsQuery(TextSearchConfiguration, text)),
        });
    }

    /// <summary>The rows in the sort's total order, strictly after the previous page's last row when there was one.</summary>
    private static IQueryable<SearchRow> InOrderAfter(IQueryable<SearchRow> rows, ProductSort sort, ProductCursor? after) => sort switch
    {
        ProductSort.Relevance => (after is null ? rows : rows.Where(r => EF.Functions.LessThan(ValueTuple.Create(r.Rank, r.Product.Id), ValueTuple.Create(after.Rank, after.LastId))))
            .OrderByDescending(r => r.Rank).ThenByDescending(r => r.Product.Id),
        ProductSort.Price => (after is null ? rows : rows.Where(r => EF.Functions.GreaterThan(ValueTuple.Create(r.Product.Price, r.Product.Id), ValueTuple.Create(after.Price, after.LastId))))
            .OrderBy(r => r.Product.Price).ThenBy(r => r.Product.Id),
        ProductSort.PriceDescending => (after is null ? rows : rows.Where(r => EF.Functions.LessThan(ValueTuple.Create(r.Product.Price, r.Product.Id), ValueTuple.Create(after.Price, after.LastId))))
            .OrderByDescending(r => r.Product.Price).ThenByDescending(r => r.Product.Id),
        // Units sold change while someone pages: a product that sells meanwhile can move across the page
        // boundary, and then shows on two pages or on none. The order is still total, so a page never repeats
        // itself or loops.
        ProductSort.Bestselling => (after is null ? rows : rows.Where(r => EF.Functions.LessThan(ValueTuple.Create(r.UnitsSold, r.Product.Id), ValueTuple.Create(after.UnitsSold, after.LastId))))
            .OrderByDescending(r => r.UnitsSold).ThenByDescending(r => r.Product.Id),
        // Ids are UUIDv7, ordered by creation time: newest first is descending id.
        _ => (after is null ? rows : rows.Where(r => EF.Functions.LessThan(ValueTuple.Create(r.Product.Id, 0), ValueTuple.Create(after.LastId, 0))))
            .OrderByDescending(r => r.Product.Id),
    };

    /// <summary>The category with this slug and all categories below it; empty when there is none.</summary>
    private async Task<List<Guid>> SubtreeAsync(string slug, CancellationToken cancellationToken) =>
        await db.Database.SqlQuery<Guid>($"""
            WITH RECURSIVE subtree AS (
                SELECT id FROM categories WHERE slug = {slug}
                UNION
                SELECT c.id FROM categories c JOIN subtree s ON c.parent_id = s.id)
            SELECT id AS "Value" FROM subtree
            """).ToListAsync(cancellationToken);

    /// <summary>A row of the search before paging (member-initialised, so EF translates filters and orders on it).</summary>
    private sealed class SearchRow
    {
        public required Product Product { get; init; }

        /// <summary>Units available now; read for the rows of the page only (not while ranking and sorting).</summary>
        public int Available { get; init; }

        /// <summary>Read while sorting only for the bestselling order, and for the page's rows.</summary>
        public int UnitsSold { get; init; }

        public required float Rank { get; init; }
    }
}
