using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Shop.OrderApi.Infrastructure;
using Shop.OrderApi.Model;
using Shop.ServiceDefaults;

namespace Shop.OrderApi.Services;

/// <summary>
/// Finds every unsettled order whose driver is gone (its lease ran out: the request finished waiting for
/// a service, or its process died) and drives it on, forward or back, until it settles. No order stays
/// Pending. Claiming an order is a guarded UPDATE of its lease, so replicas never drive one together.
/// It also finishes the cart cleanup of paid orders whose request could not reach the cart store (the
/// cleanup is once per order in the store itself, so two replicas doing it change the cart once).
/// </summary>
internal sealed class OrderRecoveryWorker(IServiceScopeFactory scopes, IOptions<OrderOptions> options, TimeProvider timeProvider, ILogger<OrderRecoveryWorker> logger)
    : PeriodicBackgroundService(timeProvider, logger)
{
    private const int BatchSize = 20;

    protected override TimeSpan Interval => options.Value.RecoveryInterval;

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        await DriveUnsettledOrdersAsync(cancellationToken);
        await CleanCartsOfPaidOrdersAsync(cancellationToken);
    }

    private async Task DriveUnsettledOrdersAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrderDbContext>();
        var now = TimeProvider.GetUtcNow();
        var due = await db.Orders.AsNoTracking()
            .Where(o => o.Step != SagaStep.None && o.LeaseUntil <= now)
            .OrderBy(o => o.LeaseUntil)
            .Select(o => new { o.Id, o.LeaseUntil })
            .Take(BatchSize)
            .ToListAsync(cancellationToken);

        foreach (var order in due)
        {
            var leaseUntil = TimeProvider.GetUtcNow() + options.Value.SagaLease;
            var claimed = await db.Orders.Where(o => o.Id == order.Id && o.LeaseUntil == order.LeaseUntil && o.Step != SagaStep.None)
                .ExecuteUpdateAsync(s => s.SetProperty(o => o.LeaseUntil, leaseUntil), cancellationToken);
            if (claimed == 0)
            {
                continue;
            }

            Log.OrderRecovering(logger, order.Id);
            try
            {
                await using var orderScope = scopes.CreateAsyncScope();
                await orderScope.ServiceProvider.GetRequiredService<CheckoutSaga>().RunAsync(order.Id, card: null, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // One order that cannot move must not hold up the others; it is tried again when its lease runs out.
                logger.LogError(ex, "Recovering order {OrderId} failed", order.Id);
            }
        }
    }

    private async Task CleanCartsOfPaidOrdersAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrderDbContext>();
        // Left a moment to the request that paid it, which cleans the cart itself in the normal case.
        var paidBefore = TimeProvider.GetUtcNow() - options.Value.RecoveryInterval;
        var pending = await db.Orders.AsNoTracking()
            .Where(o => o.CartCleanupPending && o.PaidAt <= paidBefore)
            .OrderBy(o => o.PaidAt)
            .Take(BatchSize)
            .ToListAsync(cancellationToken);

        var saga = scope.ServiceProvider.GetRequiredService<CheckoutSaga>();
        foreach (var order in pending)
        {
            await saga.TryCleanCartAsync(order.Id, order.CustomerId, order.Lines, cancellationToken);
        }
    }
}
