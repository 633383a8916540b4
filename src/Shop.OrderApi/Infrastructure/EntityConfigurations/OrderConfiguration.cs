using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Shop.OrderApi.Model;

namespace Shop.OrderApi.Infrastructure.EntityConfigurations;

internal sealed class OrderConfiguration : IEntityTypeConfiguration<Order>
{
    public void Configure(EntityTypeBuilder<Order> builder)
    {
        builder.ToTable("orders");
        builder.HasKey(o => o.Id);
        builder.Property(o => o.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(o => o.Total).HasPrecision(18, 2);
        builder.Property(o => o.Currency).HasMaxLength(3).IsFixedLength();
        builder.HasIndex(o => new { o.CustomerId, o.CreatedAt });
    }
}
