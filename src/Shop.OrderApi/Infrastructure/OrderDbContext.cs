using Shop.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;
using Shop.OrderApi.Model;

namespace Shop.OrderApi.Infrastructure;

public sealed class OrderDbContext(DbContextOptions<OrderDbContext> options) : DbContext(options)
{
    public DbSet<Order> Orders => Set<Order>();

    public DbSet<ProductCopy> ProductCopies => Set<ProductCopy>();

    public DbSet<DeletedCustomer> DeletedCustomers => Set<DeletedCustomer>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(OrderDbContext).Assembly);
        modelBuilder.MapMessagingTables();
    }
}
