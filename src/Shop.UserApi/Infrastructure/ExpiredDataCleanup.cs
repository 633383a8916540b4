using Microsoft.EntityFrameworkCore;
using Shop.ServiceDefaults;
using Shop.UserApi.Services;

namespace Shop.UserApi.Infrastructure;

/// <summary>
/// Hourly housekeeping: removes refresh tokens a day past their expiry and sign-in throttles nobody has
/// touched for a day, and schedules the next signing key when the current one is due for rotation.
/// </summary>
internal sealed class ExpiredDataCleanup(IServiceScopeFactory scopes, TimeProvider timeProvider, ILogger<ExpiredDataCleanup> logger)
    : PeriodicBackgroundService(timeProvider, logger)
{
    protected override TimeSpan Interval => TimeSpan.FromHours(1);

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<UserDbContext>();
        var dayAgo = TimeProvider.GetUtcNow().AddDays(-1);
        await db.RefreshTokens.Where(t => t.ExpiresAt < dayAgo).ExecuteDeleteAsync(cancellationToken);
        await db.SignInThrottles.Where(t => t.WindowStartedAt < dayAgo && (t.LockedUntil == null || t.LockedUntil < dayAgo))
            .ExecuteDeleteAsync(cancellationToken);
        await scope.ServiceProvider.GetRequiredService<SigningKeyStore>().EnsureCurrentKeyAsync(cancellationToken);
    }
}
