using Microsoft.EntityFrameworkCore;
using Shop.UserApi.Services;

namespace Shop.UserApi.Infrastructure;

/// <summary>
/// Hourly housekeeping: removes refresh tokens a day past their expiry and sign-in throttles nobody has
/// touched for a day, and schedules the next signing key when the current one is due for rotation.
/// </summary>
internal sealed class ExpiredDataCleanup(IServiceScopeFactory scopes, TimeProvider timeProvider, ILogger<ExpiredDataCleanup> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, timeProvider);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<UserDbContext>();
                var dayAgo = timeProvider.GetUtcNow().AddDays(-1);
                await db.RefreshTokens.Where(t => t.ExpiresAt < dayAgo).ExecuteDeleteAsync(stoppingToken);
                await db.SignInThrottles.Where(t => t.WindowStartedAt < dayAgo && (t.LockedUntil == null || t.LockedUntil < dayAgo))
                    .ExecuteDeleteAsync(stoppingToken);
                await scope.ServiceProvider.GetRequiredService<SigningKeyStore>().EnsureCurrentKeyAsync(db, stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Housekeeping failed; it runs again in {Interval}", Interval);
            }
        }
    }
}
