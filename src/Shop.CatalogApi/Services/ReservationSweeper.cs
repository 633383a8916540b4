using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Shop.CatalogApi.Infrastructure;
using Shop.CatalogApi.Model;
using Shop.ServiceDefaults;

namespace Shop.CatalogApi.Services;

/// <summary>
/// Gives back the units of reservations nobody committed in time. Each expiry is the same guarded
/// transition a late commit would make, so sweepers on several replicas never release anything twice.
/// </summary>
internal sealed class ReservationSweeper(IServiceScopeFactory scopes, IOptions<CatalogOptions> options, TimeProvider timeProvider, ILogger<ReservationSweeper> logger)
    : PeriodicBackgroundService(timeProvider, logger)
{
    private const int BatchSize = 100;

    protected override TimeSpan Interval => options.Value.ReservationSweepInterval;

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
        var reservations = scope.ServiceProvider.GetRequiredService<ReservationService>();
        while (true)
        {
            var now = TimeProvider.GetUtcNow();
            var expired = await db.Reservations.AsNoTracking()
                .Where(r => r.Status == ReservationStatus.Active && r.ExpiresAt <= now)
                .OrderBy(r => r.ExpiresAt)
                .Select(r => r.OrderId)
                .Take(BatchSize)
                .ToListAsync(cancellationToken);
            foreach (var orderId in expired)
            {
                await reservations.ExpireAsync(orderId, cancellationToken);
            }

            if (expired.Count < BatchSize)
            {
                return;
            }
        }
    }
}
