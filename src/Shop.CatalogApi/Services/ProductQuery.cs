using System.Security.Cryptography;
using System.Text;

namespace Shop.CatalogApi.Services;

public enum ProductSort
{
    Relevance,
    Price,
    PriceDescending,
    Newest,
}

/// <summary>A validated product search: what to match, in which order, and where the page starts.</summary>
public sealed record ProductQuery(
    string? Text, string? CategorySlug, string? Brand, decimal? MinPrice, decimal? MaxPrice, bool InStockOnly, bool IncludeInactive,
    ProductSort Sort, int Limit, ProductCursor? After)
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;
    public const int MaxTextLength = 200;

    /// <summary>
    /// Parses the query string values, collecting every problem as a field error rather than stopping at
    /// the first. Relevance is the default order when there is text to rank by, newest otherwise.
    /// </summary>
    public static ProductQuery Parse(
        string? q, string? category, string? brand, decimal? minPrice, decimal? maxPrice, bool? inStock, string? sort, int? limit, string? cursor,
        bool includeInactive, out Dictionary<string, string[]> errors)
    {
        errors = [];
        var text = string.IsNullOrWhiteSpace(q) ? null : q.Trim();
        if (text is { Length: > MaxTextLength })
        {
            errors["q"] = [$"Use at most {MaxTextLength} characters."];
        }

        if (minPrice < 0)
        {
            errors["minPrice"] = ["Use a price of 0 or more."];
        }

        if (maxPrice < 0)
        {
            errors["maxPrice"] = ["Use a price of 0 or more."];
        }

        if (minPrice > maxPrice)
        {
            errors["minPrice"] = ["minPrice cannot be above maxPrice."];
        }

        var order = ProductSort.Newest;
        switch (sort)
        {
            case null or "" when text is not null:
                order = ProductSort.Relevance;
                break;
            case null or "" or "newest":
                order = ProductSort.Newest;
                break;
            case "relevance" when text is not null:
                order = ProductSort.Relevance;
                break;
            case "relevance":
                errors["sort"] = ["Sorting by relevance needs a search text (q)."];
                break;
            case "price":
                order = ProductSort.Price;
                break;
            case "-price":
                order = ProductSort.PriceDescending;
                break;
            default:
                errors["sort"] = ["Use relevance, price, -price or newest."];
                break;
        }

        var pageSize = limit ?? DefaultLimit;
        if (pageSize is < 1 or > MaxLimit)
        {
            errors["limit"] = [$"Use a limit from 1 to {MaxLimit}."];
        }

        var query = new ProductQuery(
            text, string.IsNullOrWhiteSpace(category) ? null : category.Trim(), string.IsNullOrWhiteSpace(brand) ? null : brand.Trim(),
            minPrice, maxPrice, inStock == true, includeInactive, order, pageSize, null);

        if (cursor is not null && errors.Count == 0)
        {
            if (ProductCursor.TryDecode(cursor, out var after) && after.Sort == order && after.QueryFingerprint == query.Fingerprint())
            {
                query = query with { After = after };
            }
            else
            {
                errors["cursor"] = ["The cursor is not one this API issued for this search."];
            }
        }

        return query;
    }

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
}
