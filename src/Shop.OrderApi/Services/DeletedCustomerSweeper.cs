using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Shop.OrderApi.Infrastructure;
using Shop.OrderApi.Model;
using Shop.ServiceDefaults;

namespace Shop.OrderApi.Services;

/// <summary>
/// Forgets what was written for a deleted customer after order-api forgot them: an order placed by a checkout that
/// was already running, or with an access token that outlived the account (every service refuses it once the ended
/// sessions reach it through Redis, which fails open), and its stored response. Looks at customers deleted within
/// <see cref="Lookback"/>, far longer than an access token lives, every <see cref="OrderOptions.RecoveryInterval"/>.
/// </summary>
internal sealed class DeletedCustomerSweeper(IServiceScopeFactory scopes, IOptions<OrderOptions> options, TimeProvider timeProvider, ILogger<DeletedCustomerSweeper> logger)
    : PeriodicBackgroundService(timeProvider, logger)
{
    public static readonly TimeSpan Lookback = TimeSpan.FromDays(1);

    protected override TimeSpan Interval => options.Value.RecoveryInterval;

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrderDbContext>();
        var since = TimeProvider.GetUtcNow() - Lookback;
        var recent = db.DeletedCustomers.Where(c => c.DeletedAt > since).Select(c => c.CustomerId);
        var forgotten = await CustomerErasure.ForgetShippingAddressesAsync(
            db.Orders.Where(o => recent.Contains(o.CustomerId) && o.ShippingAddress.RecipientName != ShippingAddress.ForgottenName), cancellationToken);
        if (forgotten > 0)
        {
            await CustomerErasure.ForgetStoredResponsesAsync(db, await recent.ToListAsync(cancellationToken), cancellationToken);
            Log.LateOrdersForgotten(logger, forgotten);
        }
    }
}
