using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Shop.PaymentApi.Infrastructure;
using Shop.PaymentApi.Model;
using Shop.ServiceDefaults;

namespace Shop.PaymentApi.Services;

/// <summary>
/// A payment left Processing was interrupted (payment-api stopped while it waited for the processor).
/// The simulated processor runs in-process, so nothing was taken: mark it Failed, which lets the order
/// retry or give up. A real processor integration would ask the processor by payment id here instead.
/// </summary>
internal sealed class StalePaymentRecovery(IServiceScopeFactory scopes, IOptions<PaymentOptions> options, TimeProvider timeProvider, ILogger<StalePaymentRecovery> logger)
    : PeriodicBackgroundService(timeProvider, logger)
{
    protected override TimeSpan Interval => options.Value.StaleProcessingAfter / 2;

    protected override bool RunAtStart => true;

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PaymentDbContext>();
        var now = TimeProvider.GetUtcNow();
        var staleBefore = now - options.Value.StaleProcessingAfter;
        var recovered = await db.Payments.Where(p => p.Status == PaymentStatus.Processing && p.UpdatedAt < staleBefore)
            .ExecuteUpdateAsync(s => s
                .SetProperty(p => p.Status, PaymentStatus.Failed)
                .SetProperty(p => p.DeclineReason, "processor_interrupted")
                .SetProperty(p => p.UpdatedAt, now), cancellationToken);
        if (recovered > 0)
        {
            Log.StalePaymentsFailed(logger, recovered);
        }
    }
}
