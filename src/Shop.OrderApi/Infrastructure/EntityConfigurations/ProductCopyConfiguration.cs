using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Shop.OrderApi.Model;

namespace Shop.OrderApi.Infrastructure.EntityConfigurations;

public sealed class ProductCopyConfiguration : IEntityTypeConfiguration<ProductCopy>
{
    public void Configure(EntityTypeBuilder<ProductCopy> builder)
    {
        builder.ToTable("product_copies");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Id).ValueGeneratedNever();
        builder.Property(p => p.Sku).HasMaxLength(64);
        builder.Property(p => p.Name).HasMaxLength(200);
        builder.Property(p => p.Price).HasPrecision(12, 2);
        builder.Property(p => p.Currency).HasMaxLength(3).IsFixedLength();
    }
}
