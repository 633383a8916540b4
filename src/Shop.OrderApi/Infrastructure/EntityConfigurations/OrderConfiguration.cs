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
        builder.Ignore(o => o.PendingEvents); // saved to the outbox by EventOutbox, not a column
        builder.Property(o => o.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(o => o.Step).HasConversion<string>().HasMaxLength(20);
        builder.Property(o => o.OutcomeAfterRelease).HasConversion<string>().HasMaxLength(20);
        builder.Property(o => o.CheckoutKey).HasMaxLength(255);
        // The same checkout, re-executed after a crash, finds its order instead of placing a second one.
        builder.HasIndex(o => new { o.CustomerId, o.CheckoutKey }).IsUnique();
        builder.HasIndex(o => new { o.CustomerId, o.Id });
        // The recovery worker looks for unsettled orders whose lease has run out.
        builder.HasIndex(o => o.LeaseUntil).HasFilter("step <> 'None'");
        // ... and for paid orders whose cart has not been cleaned yet.
        builder.HasIndex(o => o.PaidAt).HasFilter("cart_cleanup_pending");
        // The administrators' list of orders to ship (paid, settled), oldest first.
        builder.HasIndex(o => o.Id).HasFilter("status = 'Paid' AND step = 'None'").HasDatabaseName("ix_orders_to_ship");
        builder.Property(o => o.Total).HasPrecision(12, 2);
        builder.Property(o => o.Currency).HasMaxLength(3).IsFixedLength();
        builder.Property(o => o.CardBrand).HasMaxLength(20);
        builder.Property(o => o.CardLast4).HasMaxLength(4).IsFixedLength();
        builder.Property(o => o.FailureReason).HasMaxLength(Order.FailureReasonMaxLength);
        builder.Property(o => o.LastError).HasMaxLength(Order.FailureReasonMaxLength);
        builder.Property(o => o.Version).IsRowVersion();
        builder.ComplexProperty(o => o.ShippingAddress, address =>
        {
            address.Property(a => a.RecipientName).HasColumnName("ship_to_name").HasMaxLength(100);
            address.Property(a => a.Line1).HasColumnName("ship_to_line1").HasMaxLength(200);
            address.Property(a => a.Line2).HasColumnName("ship_to_line2").HasMaxLength(200);
            address.Property(a => a.City).HasColumnName("ship_to_city").HasMaxLength(100);
            address.Property(a => a.Region).HasColumnName("ship_to_region").HasMaxLength(100);
            address.Property(a => a.PostalCode).HasColumnName("ship_to_postal_code").HasMaxLength(20);
            address.Property(a => a.Country).HasColumnName("ship_to_country").HasMaxLength(2).IsFixedLength();
            address.Property(a => a.Phone).HasColumnName("ship_to_phone").HasMaxLength(30);
        });
        builder.HasMany(o => o.Lines).WithOne().HasForeignKey(l => l.OrderId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(o => o.Lines).AutoInclude();
        // Loaded where an order is shown (Include), not by the saga, which never needs them.
        builder.HasMany(o => o.Refunds).WithOne().HasForeignKey(r => r.OrderId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class OrderLineConfiguration : IEntityTypeConfiguration<OrderLine>
{
    public void Configure(EntityTypeBuilder<OrderLine> builder)
    {
        builder.ToTable("order_lines", table => table.HasCheckConstraint("ck_order_lines_quantity_positive", "quantity > 0"));
        builder.HasKey(l => new { l.OrderId, l.ProductId });
        builder.Property(l => l.Sku).HasMaxLength(64);
        builder.Property(l => l.Name).HasMaxLength(200);
        builder.Property(l => l.UnitPrice).HasPrecision(12, 2);
        builder.Property(l => l.LineTotal).HasPrecision(12, 2);
    }
}
