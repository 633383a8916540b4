using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Shop.CatalogApi.Model;
using Shop.ServiceDefaults.Idempotency;

namespace Shop.CatalogApi.Infrastructure.EntityConfigurations;

internal sealed class StockConfiguration : IEntityTypeConfiguration<Stock>
{
    public void Configure(EntityTypeBuilder<Stock> builder)
    {
        // The last line of defence against overselling: whatever the code does, the database refuses a
        // negative count or more reserved than on hand.
        builder.ToTable("stock", table =>
        {
            table.HasCheckConstraint("ck_stock_on_hand_not_negative", "on_hand >= 0");
            table.HasCheckConstraint("ck_stock_reserved_not_negative", "reserved >= 0");
            table.HasCheckConstraint("ck_stock_reserved_within_on_hand", "reserved <= on_hand");
            table.HasCheckConstraint("ck_stock_units_sold_not_negative", "units_sold >= 0");
        });
        builder.HasKey(s => s.ProductId);
        builder.HasOne<Product>().WithOne().HasForeignKey<Stock>(s => s.ProductId).OnDelete(DeleteBehavior.Cascade);
        builder.Ignore(s => s.Available);
        builder.Property(s => s.Version).IsRowVersion();
    }
}

internal sealed class StockAdjustmentConfiguration : IEntityTypeConfiguration<StockAdjustment>
{
    public void Configure(EntityTypeBuilder<StockAdjustment> builder)
    {
        builder.ToTable("stock_adjustments");
        builder.HasKey(a => a.Id);
        builder.HasOne<Product>().WithMany().HasForeignKey(a => a.ProductId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(a => new { a.ProductId, a.AdjustedAt });
        builder.Property(a => a.Reason).HasMaxLength(StockAdjustment.ReasonMaxLength);
        builder.Property(a => a.IdempotencyKey).HasMaxLength(IdempotencyRecord.KeyMaxLength);
        builder.HasIndex(a => new { a.AdjustedBy, a.IdempotencyKey }).IsUnique().HasFilter("idempotency_key IS NOT NULL");
    }
}

internal sealed class OrderSaleConfiguration : IEntityTypeConfiguration<OrderSale>
{
    public void Configure(EntityTypeBuilder<OrderSale> builder)
    {
        builder.ToTable("order_sales", table => table.HasCheckConstraint("ck_order_sales_state", $"state IN ('{OrderSale.Paid}', '{OrderSale.Cancelled}')"));
        builder.HasKey(s => s.OrderId);
        builder.Property(s => s.State).HasMaxLength(16);
    }
}
