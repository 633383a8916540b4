using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Shop.OrderApi.Model;

namespace Shop.OrderApi.Infrastructure.EntityConfigurations;

public sealed class OrderRefundConfiguration : IEntityTypeConfiguration<OrderRefund>
{
    public void Configure(EntityTypeBuilder<OrderRefund> builder)
    {
        builder.ToTable("order_refunds");
        builder.HasKey(r => r.RefundId);
        builder.Property(r => r.RefundId).ValueGeneratedNever();
        builder.Property(r => r.Amount).HasPrecision(12, 2);
        builder.HasIndex(r => r.OrderId);
    }
}
