using System.ComponentModel.DataAnnotations;
using Shop.CatalogApi.Model;

namespace Shop.CatalogApi.Contracts;

/// <summary>A product as search results list it.</summary>
public sealed record ProductSummary(
    Guid Id, string Sku, string Name, string Slug, string Brand, Guid CategoryId, decimal Price, string Currency,
    string? ImageUrl, int Available, bool IsActive);

public sealed record ProductPage(IReadOnlyList<ProductSummary> Items, string? NextCursor);

/// <summary>A product with everything a product page shows, including the units available right now.</summary>
public sealed record ProductResponse(
    Guid Id, string Sku, string Name, string Slug, string Description, string Brand, CategoryResponse Category,
    decimal Price, string Currency, IReadOnlyList<string> ImageUrls, bool IsActive, int Available,
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
