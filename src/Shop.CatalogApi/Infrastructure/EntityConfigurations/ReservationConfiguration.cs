using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Shop.CatalogApi.Model;

namespace Shop.CatalogApi.Infrastructure.EntityConfigurations;

internal sealed class ReservationConfiguration : IEntityTypeConfiguration<Reservation>
{
    public void Configure(EntityTypeBuilder<Reservation> builder)
    {
        builder.ToTable("reservations");
        builder.HasKey(r => r.OrderId);
        builder.Property(r => r.Status).HasConversion<string>().HasMaxLength(20);
        // The sweeper looks for active reservations past their expiry.
        builder.HasIndex(r => r.ExpiresAt).HasFilter("status = 'Active'");
        builder.HasMany(r => r.Lines).WithOne().HasForeignKey(l => l.OrderId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(r => r.Lines).AutoInclude();
    }
}

internal sealed class ReservationLineConfiguration : IEntityTypeConfiguration<ReservationLine>
{
    public void Configure(EntityTypeBuilder<ReservationLine> builder)
    {
        builder.ToTable("reservation_lines", table => table.HasCheckConstraint("ck_reservation_lines_quantity_positive", "quantity > 0"));
        builder.HasKey(l => new { l.OrderId, l.ProductId });
        builder.HasOne<Product>().WithMany().HasForeignKey(l => l.ProductId).OnDelete(DeleteBehavior.Restrict);
    }
}
