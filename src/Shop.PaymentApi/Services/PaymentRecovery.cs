using Microsoft.Extensions.Options;
using Shop.ServiceDefaults;

namespace Shop.PaymentApi.Services;

/// <summary>
/// Finishes processor calls that were interrupted (payment-api stopped mid-call, or the processor did
/// not answer): see <see cref="PaymentService.RecoverAsync"/>. Safe with several replicas: items are
/// claimed one by one, and the processor is idempotent per id.
/// </summary>
internal sealed class PaymentRecovery(IServiceScopeFactory scopes, IOptions<PaymentOptions> options, TimeProvider timeProvider, ILogger<PaymentRecovery> logger)
    : PeriodicBackgroundService(timeProvider, logger)
{
    protected override TimeSpan Interval => options.Value.RecoveryInterval;

    protected override bool RunAtStart => true;

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<PaymentService>().RecoverAsync(cancellationToken);
    }
}
