using Microsoft.EntityFrameworkCore;
using Shop.PaymentApi.Model;
using Shop.ServiceDefaults.Idempotency;

namespace Shop.PaymentApi.Infrastructure;

public sealed class PaymentDbContext(DbContextOptions<PaymentDbContext> options) : DbContext(options)
{
    public DbSet<Payment> Payments => Set<Payment>();

    public DbSet<Refund> Refunds => Set<Refund>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(PaymentDbContext).Assembly);
        modelBuilder.AddIdempotencyRecords();
    }
}
