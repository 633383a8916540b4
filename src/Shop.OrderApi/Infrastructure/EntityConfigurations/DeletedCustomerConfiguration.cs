using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Shop.OrderApi.Model;

namespace Shop.OrderApi.Infrastructure.EntityConfigurations;

public sealed class DeletedCustomerConfiguration : IEntityTypeConfiguration<DeletedCustomer>
{
    public void Configure(EntityTypeBuilder<DeletedCustomer> builder)
    {
        builder.ToTable("deleted_customers");
        builder.HasKey(c => c.CustomerId);
        builder.Property(c => c.CustomerId).ValueGeneratedNever();
        builder.HasIndex(c => c.DeletedAt);
    }
}
