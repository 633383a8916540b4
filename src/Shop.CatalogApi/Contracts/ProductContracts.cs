using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Shop.CatalogApi.Model;
using Shop.CatalogApi.Services;

namespace Shop.CatalogApi.Contracts;

/// <summary>
/// A product as search results and the batch read list it. <c>Revision</c> counts the product's changes: a service
/// that keeps a copy (order-api) keeps the highest it has seen, here or in <c>ProductChanged</c>.
/// </summary>
public sealed record ProductSummary(
    Guid Id, string Sku, string Name, string Slug, string Brand, Guid CategoryId, decimal Price, string Currency,
    string? ImageUrl, int Available, bool IsActive, long Revision);

public sealed record ProductPage(IReadOnlyList<ProductSummary> Items, string? NextCursor);

/// <summary>
/// The query string of a product search, bound with <c>[AsParameters]</c>. Validation reports every problem at
/// once, each under the parameter's name as [FromQuery] spells it (hence <see cref="Validate"/> rather than
/// attributes, whose errors minimal APIs key by the C# property name). Whether a cursor continues this very search is checked after,
/// by <see cref="ProductQuery.ContinuedAfter"/>: it depends on who asks (includeInactive is for admins only).
/// </summary>
public sealed record ProductSearchRequest(
    [FromQuery(Name = "q")] string? Q = null,
    [FromQuery(Name = "category")] string? Category = null,
    [FromQuery(Name = "brand")] string? Brand = null,
    [FromQuery(Name = "minPrice")] decimal? MinPrice = null,
    [FromQuery(Name = "maxPrice")] decimal? MaxPrice = null,
    [FromQuery(Name = "inStock")] bool? InStock = null,
    [FromQuery(Name = "sort")] string? Sort = null,
    [FromQuery(Name = "limit")] int? Limit = null,
    [FromQuery(Name = "cursor")] string? Cursor = null,
    [FromQuery(Name = "includeInactive")] bool? IncludeInactive = null) : IValidatableObject
{
    /// <summary>The search text, trimmed; null when there is none.</summary>
    public string? Text => string.IsNullOrWhiteSpace(Q) ? null : Q.Trim();

    /// <summary>
    /// The order asked for: relevance by default when there is text to rank by, newest otherwise. Null when
    /// <see cref="Sort"/> names no order, or relevance without a text.
    /// </summary>
    public ProductSort? Order => Sort switch
    {
        null or "" => Text is null ? ProductSort.Newest : ProductSort.Relevance,
        "relevance" => Text is null ? null : ProductSort.Relevance,
        "newest" => ProductSort.Newest,
        "price" => ProductSort.Price,
        "-price" => ProductSort.PriceDescending,
        "bestselling" => ProductSort.Bestselling,
        _ => null,
    };

    public int PageSize => Limit ?? ProductQuery.DefaultLimit;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Text is { Length: > ProductQuery.MaxTextLength })
        {
            yield return new ValidationResult($"Use at most {ProductQuery.MaxTextLength} characters.", ["q"]);
        }

        if (MinPrice > MaxPrice)
        {
            yield return new ValidationResult("minPrice cannot be above maxPrice.", ["minPrice"]);
        }
        else if (MinPrice < 0)
        {
            yield return new ValidationResult("Use a price of 0 or more.", ["minPrice"]);
        }

        if (MaxPrice < 0)
        {
            yield return new ValidationResult("Use a price of 0 or more.", ["maxPrice"]);
        }

        if (Order is null)
        {
            yield return new ValidationResult(
                Sort == "relevance" ? "Sorting by relevance needs a search text (q)." : "Use relevance, price, -price, newest or bestselling.", ["sort"]);
        }

        if (PageSize is < 1 or > ProductQuery.MaxLimit)
        {
            yield return new ValidationResult($"Use a limit from 1 to {ProductQuery.MaxLimit}.", ["limit"]);
        }
    }
}

/// <summary>
/// A product with everything a product page shows, including the units available right now and the units
/// sold (paid orders not cancelled; it follows the orders a moment later, through order-api's events).
/// </summary>
public sealed record ProductResponse(
    Guid Id, string Sku, string Name, string Slug, string Description, string Brand, CategoryResponse Category,
    decimal Price, string Currency, IReadOnlyList<string> ImageUrls, bool IsActive, int Available, int UnitsSold,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>The editable fields of a product. The slug is made from the name when left out.</summary>
public sealed record ProductRequest(
    [property: Required, MaxLength(Product.SkuMaxLength), RegularExpression("^[A-Za-z0-9][A-Za-z0-9._-]*$", ErrorMessage = "Use letters, digits, '.', '_' and '-'.")] string Sku,
    [property: Required, MaxLength(Product.NameMaxLength)] string Name,
    [property: MaxLength(Product.SlugMaxLength), Slug] string? Slug,
    [property: MaxLength(Product.DescriptionMaxLength)] string? Description,
    [property: Required, MaxLength(Product.BrandMaxLength)] string Brand,
    [property: Required] Guid? CategoryId,
    [property: Required, Price] decimal? Price,
    [property: MaxLength(Product.MaxImages), ImageUrls] IReadOnlyList<string>? ImageUrls);

/// <summary>A new product, optionally with its first stock and hidden until activated.</summary>
public sealed record CreateProductRequest(
    [property: Required] ProductRequest Product,
    [property: Range(0, 1_000_000)] int InitialStock = 0,
    bool IsActive = true);

/// <summary>From 0.01 to 1,000,000 with at most two decimal places: an exact amount of the store's currency.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class PriceAttribute() : ValidationAttribute("Use an amount from 0.01 to 1000000 with at most two decimal places.")
{
    public const decimal Max = 1_000_000m;

    public override bool IsValid(object? value) =>
        value is not decimal amount || (amount is > 0m and <= Max && decimal.Round(amount, 2) == amount);
}

/// <summary>Absolute http(s) URLs of reasonable length.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class ImageUrlsAttribute() : ValidationAttribute("Use absolute http or https URLs of at most 500 characters.")
{
    public override bool IsValid(object? value) =>
        value is not IEnumerable<string?> urls
        || urls.All(url => url is { Length: <= Product.ImageUrlMaxLength }
            && Uri.TryCreate(url, UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp));
}
