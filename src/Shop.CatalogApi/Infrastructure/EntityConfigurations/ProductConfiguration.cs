using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Shop.CatalogApi.Model;

namespace Shop.CatalogApi.Infrastructure.EntityConfigurations;

internal sealed class ProductConfiguration : IEntityTypeConfiguration<Product>
{
    public void Configure(EntityTypeBuilder<Product> builder)
    {
        builder.ToTable("products", table =>
        {
            table.HasCheckConstraint("ck_products_price_positive", "price > 0");
        });
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Sku).HasMaxLength(Product.SkuMaxLength);
        builder.HasIndex(p => p.Sku).IsUnique();
        builder.Property(p => p.Name).HasMaxLength(Product.NameMaxLength);
        builder.Property(p => p.Slug).HasMaxLength(Product.SlugMaxLength);
        builder.HasIndex(p => p.Slug).IsUnique();
        builder.Property(p => p.Description).HasMaxLength(Product.DescriptionMaxLength);
        builder.Property(p => p.Brand).HasMaxLength(Product.BrandMaxLength);
        builder.Property(p => p.Price).HasPrecision(12, 2);
        builder.Property(p => p.ImageUrls).HasColumnType("text[]");
        builder.HasOne<Category>().WithMany().HasForeignKey(p => p.CategoryId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(p => p.Version).IsRowVersion();
        builder.Property(p => p.Revision).HasDefaultValue(1L);

        // Weights make a match in the name count most, then the brand, then the description.
        builder.Property(p => p.SearchVector)
            .HasComputedColumnSql(
                "setweight(to_tsvector('english', coalesce(name, '')), 'A') || " +
                "setweight(to_tsvector('english', coalesce(brand, '')), 'B') || " +
                "setweight(to_tsvector('english', coalesce(description, '')), 'C')",
                stored: true);
        builder.HasIndex(p => p.SearchVector).HasMethod("GIN");

        // Keyset paging: each sort order walks an index, so a deep page costs what the first does.
        builder.HasIndex(p => new { p.Price, p.Id });
        builder.HasIndex(p => new { p.CategoryId, p.Id });
    }
}
