using NpgsqlTypes;

namespace Shop.CatalogApi.Model;

/// <summary>
/// Something the shop sells. Identified by a unique SKU, addressed by a unique slug, priced as an exact
/// decimal in the store's currency. Inactive products are kept (orders refer to them) but hidden from
/// customers.
/// </summary>
public sealed class Product
{
    public const int SkuMaxLength = 64;
    public const int NameMaxLength = 200;
    public const int SlugMaxLength = 200;
    public const int BrandMaxLength = 100;
    public const int DescriptionMaxLength = 4000;
    public const int MaxImages = 10;
    public const int ImageUrlMaxLength = 500;

    // For EF Core materialization.
    private Product()
    {
    }

    public Product(ProductDetails details, bool isActive, DateTimeOffset now)
    {
        Id = Guid.CreateVersion7(now);
        CreatedAt = now;
        IsActive = isActive;
        Update(details, now);
    }

    public Guid Id { get; private set; }

    public string Sku { get; private set; } = null!;

    public string Name { get; private set; } = null!;

    public string Slug { get; private set; } = null!;

    public string Description { get; private set; } = null!;

    public string Brand { get; private set; } = null!;

    public Guid CategoryId { get; private set; }

    public decimal Price { get; private set; }

    public List<string> ImageUrls { get; private set; } = [];

    public bool IsActive { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>Postgres's row version (xmin): the product part of the ETag, and the optimistic concurrency token.</summary>
    public uint Version { get; private set; }

    /// <summary>
    /// How many times the product was written: 1 when created, one more with every change. Other services keep the
    /// highest they have seen (<c>ProductChanged</c>), so an event that arrives late never undoes a newer one.
    /// Not <see cref="Version"/>: transaction ids are neither ordered by commit nor free of wraparound.
    /// </summary>
    public long Revision { get; private set; }

    /// <summary>Weighted full-text document (name, then brand, then description), computed by Postgres.</summary>
    public NpgsqlTsVector SearchVector { get; private set; } = null!;

    public void Update(ProductDetails details, DateTimeOffset now)
    {
        Sku = details.Sku.Trim();
        Name = details.Name.Trim();
        Slug = details.Slug;
        Description = details.Description.Trim();
        Brand = details.Brand.Trim();
        CategoryId = details.CategoryId;
        Price = details.Price;
        ImageUrls = [.. details.ImageUrls];
        UpdatedAt = now;
        Revision++;
    }

    public void SetActive(bool isActive, DateTimeOffset now)
    {
        if (IsActive != isActive)
        {
            IsActive = isActive;
            UpdatedAt = now;
            Revision++;
        }
    }
}

/// <summary>The editable fields of a product.</summary>
public sealed record ProductDetails(
    string Sku, string Name, string Slug, string Description, string Brand, Guid CategoryId, decimal Price, IReadOnlyList<string> ImageUrls);
