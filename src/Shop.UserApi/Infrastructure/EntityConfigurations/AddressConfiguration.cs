using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Shop.UserApi.Model;

namespace Shop.UserApi.Infrastructure.EntityConfigurations;

internal sealed class AddressConfiguration : IEntityTypeConfiguration<Address>
{
    public void Configure(EntityTypeBuilder<Address> builder)
    {
        builder.ToTable("addresses");
        builder.HasKey(a => a.Id);
        builder.HasOne<User>().WithMany().HasForeignKey(a => a.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(a => a.UserId, "ByUser").HasDatabaseName("ix_addresses_user_id");
        // One default address per user (a second index on the same column, hence both named).
        builder.HasIndex(a => a.UserId, "OneDefaultPerUser").IsUnique().HasFilter("is_default").HasDatabaseName("ix_addresses_one_default_per_user");
        builder.Property(a => a.Label).HasMaxLength(50);
        builder.Property(a => a.RecipientName).HasMaxLength(100);
        builder.Property(a => a.Line1).HasMaxLength(200);
        builder.Property(a => a.Line2).HasMaxLength(200);
        builder.Property(a => a.City).HasMaxLength(100);
        builder.Property(a => a.Region).HasMaxLength(100);
        builder.Property(a => a.PostalCode).HasMaxLength(20);
        builder.Property(a => a.Country).HasMaxLength(2).IsFixedLength();
        builder.Property(a => a.Phone).HasMaxLength(30);
    }
}
