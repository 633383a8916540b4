using System.Security.Cryptography;
using System.Text;
using Shop.CatalogApi.Contracts;

namespace Shop.CatalogApi.Services;

public enum ProductSort
{
    Relevance,
    Price,
    PriceDescending,
    Newest,

    /// <summary>Most units sold first (paid orders not cancelled, from order-api's events).</summary>
    Bestselling,
}

/// <summary>A validated product search: what to match, in which order, and where the page starts.</summary>
public sealed record ProductQuery(
    string? Text, string? CategorySlug, string? Brand, decimal? MinPrice, decimal? MaxPrice, bool InStockOnly, bool IncludeInactive,
    ProductSort Sort, int Limit, ProductCursor? After)
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;
    public const int MaxTextLength = 200;

    /// <summary>The first page of the search a validated request asks for.</summary>
    public static ProductQuery From(ProductSearchRequest request, bool includeInactive) => new(
        request.Text, Trimmed(request.Category), Trimmed(request.Brand), request.MinPrice, request.MaxPrice, request.InStock == true, includeInactive,
        request.Order ?? throw new ArgumentException("The request's sort was not validated.", nameof(request)), request.PageSize, After: null);

    /// <summary>The page after the cursor's; null when the cursor was not issued by this API for this very search.</summary>
    public ProductQuery? ContinuedAfter(string cursor) =>
        ProductCursor.TryDecode(cursor, out var after) && after.Sort == Sort && after.QueryFingerprint == Fingerprint() ? this with { After = after } : null;

    /// <summary>
    /// Identifies what the results depend on, so that a cursor can only continue the search that
    /// issued it.
    /// </summary>
    public long Fingerprint()
    {
        var text = string.Join('\u001f', Text, CategorySlug, Brand?.ToUpperInvariant(), MinPrice?.ToString(System.Globalization.CultureInfo.InvariantCulture),
            MaxPrice?.ToString(System.Globalization.CultureInfo.InvariantCulture), InStockOnly, IncludeInactive, Sort);
        return BitConverter.ToInt64(SHA256.HashData(Encoding.UTF8.GetBytes(text)), 0);
    }

    private static string? Trimmed(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
