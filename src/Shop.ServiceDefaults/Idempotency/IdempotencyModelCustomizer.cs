using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Shop.ServiceDefaults.Idempotency;

/// <summary>
/// Adds the idempotency records (and the database clock they are stamped with) to the model of the
/// service's DbContext after its own <c>OnModelCreating</c>, so the service's context does not list
/// them itself. The table is the same as before: the checked-in migrations already create it.
/// </summary>
internal sealed class IdempotencyModelCustomizer(ModelCustomizerDependencies dependencies) : ModelCustomizer(dependencies)
{
    public override void Customize(ModelBuilder modelBuilder, DbContext context)
    {
        base.Customize(modelBuilder, context);
        modelBuilder.ApplyConfiguration(new IdempotencyRecordConfiguration());
        modelBuilder.HasDbFunction(typeof(DatabaseClock).GetMethod(nameof(DatabaseClock.Now))!).HasName("clock_timestamp").IsBuiltIn();
    }
}

/// <summary>
/// The database server's clock in a query. Leases are stamped and compared with it, never with a
/// replica's own clock: two replicas whose clocks disagree still agree on whether a lease has run out.
/// </summary>
internal static class DatabaseClock
{
    /// <summary>Postgres' <c>clock_timestamp()</c>: the time when the expression is evaluated, not when the statement began.</summary>
    public static DateTimeOffset Now() => throw new InvalidOperationException($"{nameof(DatabaseClock)}.{nameof(Now)} is only for queries, which run it in the database.");
}
