using Shop.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;
using Shop.CatalogApi.Model;

namespace Shop.CatalogApi.Infrastructure;

public sealed class CatalogDbContext(DbContextOptions<CatalogDbContext> options) : DbContext(options)
{
    public DbSet<Category> Categories => Set<Category>();

    public DbSet<Product> Products => Set<Product>();

    public DbSet<Stock> Stock => Set<Stock>();

    public DbSet<StockAdjustment> StockAdjustments => Set<StockAdjustment>();

    public DbSet<Reservation> Reservations => Set<Reservation>();

    public DbSet<OrderSale> OrderSales => Set<OrderSale>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(CatalogDbContext).Assembly);
        modelBuilder.MapMessagingTables();
    }
}
