using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Caching.Memory;
using Shop.WebApp.Authentication;

namespace Shop.WebApp.Clients;

/// <summary>A product search as the catalog page's query string and catalog-api's both spell it.</summary>
public sealed record ProductSearch(
    string? Q = null, string? Category = null, string? Brand = null, decimal? MinPrice = null, decimal? MaxPrice = null,
    bool InStock = false, string? Sort = null, string? Cursor = null, int Limit = 20)
{
    /// <summary>The query string of the catalog page (with a leading '?', or empty), or of catalog-api's search with the page size.</summary>
    public string ToQueryString(bool forApi = false)
    {
        var query = new Dictionary<string, string?>
        {
            ["q"] = string.IsNullOrWhiteSpace(Q) ? null : Q.Trim(),
            ["category"] = Category,
            ["brand"] = string.IsNullOrWhiteSpace(Brand) ? null : Brand.Trim(),
            ["minPrice"] = MinPrice?.ToString(CultureInfo.InvariantCulture),
            ["maxPrice"] = MaxPrice?.ToString(CultureInfo.InvariantCulture),
            ["inStock"] = InStock ? "true" : null,
            ["sort"] = string.IsNullOrEmpty(Sort) ? null : Sort,
            ["cursor"] = Cursor,
            ["limit"] = forApi ? Limit.ToString(CultureInfo.InvariantCulture) : null,
        };
        return QueryHelpers.AddQueryString("", query.Where(p => p.Value is not null));
    }
}

public sealed class CatalogClient(HttpClient http, UserSession session, IMemoryCache cache) : ApiClient(http, session, "catalog-api")
{
    /// <summary>How long this replica keeps the category tree: a new or renamed category shows within this time.</summary>
    public static readonly TimeSpan CategoriesLifetime = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The category tree, which the catalog and product pages both need and which changes a few times a year: kept here
    /// for <see cref="CategoriesLifetime"/> rather than asked for on every page view (bench/README.md, "Storefront").
    /// </summary>
    public async Task<IReadOnlyList<Category>> GetCategoriesAsync(CancellationToken cancellationToken) =>
        await cache.GetOrCreateAsync("catalog-api:categories", async entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = CategoriesLifetime;
            return await GetAsync<IReadOnlyList<Category>>("/api/categories", asUser: false, cancellationToken);
        }) ?? [];

    /// <summary>A page of products; refused (400) when the search itself is invalid, such as a price range upside down.</summary>
    public Task<ApiResult<ProductPage>> SearchAsync(ProductSearch search, CancellationToken cancellationToken) =>
        RequestAsync<ProductPage>(HttpMethod.Get, $"/api/products{search.ToQueryString(forApi: true)}", null, asUser: false, cancellationToken);

    public async Task<Product?> GetBySlugAsync(string slug, CancellationToken cancellationToken) =>
        await RequestAsync<Product>(HttpMethod.Get, $"/api/products/by-slug/{Uri.EscapeDataString(slug)}", null, asUser: false, cancellationToken) switch
        {
            ApiResult<Product>.Ok ok => ok.Value,
            _ => null,
        };

    // Administration.

    public Task<ApiResult<ProductPage>> ListForAdminAsync(string? q, string? cursor, CancellationToken cancellationToken) =>
        RequestAsync<ProductPage>(HttpMethod.Get,
            $"/api/products{new ProductSearch(Q: q, Cursor: cursor, Sort: string.IsNullOrWhiteSpace(q) ? "newest" : null, Limit: 50).ToQueryString(forApi: true)}&includeInactive=true",
            null, asUser: true, cancellationToken);

    /// <summary>The product and its ETag, which an edit must send back (If-Match) so that concurrent edits cannot overwrite each other.</summary>
    public async Task<(Product Product, string ETag)?> GetForEditAsync(Guid id, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, $"/api/products/{id}", null, asUser: true, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        return await ReadAsync<Product>(response, cancellationToken) switch
        {
            ApiResult<Product>.Ok ok => (ok.Value, response.Headers.ETag?.ToString() ?? ""),
            _ => null,
        };
    }

    public Task<ApiResult<Product>> UpdateAsync(Guid id, string etag, ProductUpdate update, CancellationToken cancellationToken) =>
        RequestAsync<Product>(HttpMethod.Put, $"/api/products/{id}", update, asUser: true, cancellationToken,
            request => request.Headers.TryAddWithoutValidation("If-Match", etag));

    public Task<ApiOutcome> SetActiveAsync(Guid id, bool active, CancellationToken cancellationToken) =>
        CommandAsync(HttpMethod.Post, $"/api/products/{id}/{(active ? "activate" : "deactivate")}", null, cancellationToken);

    public Task<ApiResult<StockLevel>> GetStockAsync(Guid id, CancellationToken cancellationToken) =>
        RequestAsync<StockLevel>(HttpMethod.Get, $"/api/products/{id}/stock", null, asUser: true, cancellationToken);

    /// <summary>
    /// Adds or removes units under the key the form was rendered with: the same form sent twice (a double click, a
    /// resubmitted page, an answer lost on the way) changes the stock once; catalog-api answers the second with the first's answer.
    /// </summary>
    public Task<ApiOutcome> AdjustStockAsync(Guid id, int delta, string reason, string idempotencyKey, CancellationToken cancellationToken) =>
        CommandAsync(HttpMethod.Post, $"/api/products/{id}/stock/adjustments", new { delta, reason }, cancellationToken,
            request => request.Headers.Add("Idempotency-Key", idempotencyKey));
}
