using Microsoft.EntityFrameworkCore;
using Shop.PaymentApi.Model;
using Shop.PaymentApi.Services;
using Shop.ServiceDefaults.Messaging;

namespace Shop.PaymentApi.Infrastructure;

public sealed class PaymentDbContext(DbContextOptions<PaymentDbContext> options) : DbContext(options)
{
    public DbSet<Payment> Payments => Set<Payment>();

    public DbSet<Refund> Refunds => Set<Refund>();

    /// <summary>The simulated processor's books; payment-api itself never reads them.</summary>
    public DbSet<SimulatedProcessorOperation> SimulatedProcessorOperations => Set<SimulatedProcessorOperation>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(PaymentDbContext).Assembly);
        modelBuilder.MapMessagingTables();
    }
}
