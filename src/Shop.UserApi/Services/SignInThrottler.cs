using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Shop.UserApi.Infrastructure;

namespace Shop.UserApi.Services;

/// <summary>
/// Counts failed sign-ins per email address (registered or not) and locks the address after
/// <see cref="LockoutOptions.MaxFailedAttempts"/> failures within <see cref="LockoutOptions.Window"/>.
/// Each failure is one atomic upsert, so concurrent attempts cannot slip past the limit.
/// </summary>
public sealed class SignInThrottler(UserDbContext db, IOptions<LockoutOptions> lockoutOptions, TimeProvider timeProvider)
{
    /// <summary>How long the address stays locked, or null when it is not locked.</summary>
    public async Task<TimeSpan?> GetLockoutRemainingAsync(string normalizedEmail, CancellationToken cancellationToken)
    {
        var lockedUntil = await db.SignInThrottles.AsNoTracking()
            .Where(t => t.NormalizedEmail == normalizedEmail)
            .Select(t => t.LockedUntil)
            .SingleOrDefaultAsync(cancellationToken);
        var remaining = lockedUntil - timeProvider.GetUtcNow();
        return remaining > TimeSpan.Zero ? remaining : null;
    }

    /// <summary>Records a failure; returns how long the address is now locked, or null.</summary>
    public async Task<TimeSpan?> RecordFailureAsync(string normalizedEmail, CancellationToken cancellationToken)
    {
        var options = lockoutOptions.Value;
        var now = timeProvider.GetUtcNow();
        var windowOpenedAfter = now - options.Window;
        var lockedUntil = now + options.Duration;

        // A failure outside the current window starts a new one; reaching the limit sets the lock.
        var result = await db.Database.SqlQuery<DateTimeOffset?>($"""
            INSERT INTO sign_in_throttles AS t (normalized_email, failed_attempts, window_started_at, locked_until)
            VALUES ({normalizedEmail}, 1, {now}, CASE WHEN 1 >= {options.MaxFailedAttempts} THEN {lockedUntil} END)
            ON CONFLICT (normalized_email) DO UPDATE SET
                failed_attempts = CASE WHEN t.window_started_at <= {windowOpenedAfter} THEN 1 ELSE t.failed_attempts + 1 END,
                window_started_at = CASE WHEN t.window_started_at <= {windowOpenedAfter} THEN {now} ELSE t.window_started_at END,
                locked_until = CASE
                    WHEN (CASE WHEN t.window_started_at <= {windowOpenedAfter} THEN 1 ELSE t.failed_attempts + 1 END) >= {options.MaxFailedAttempts}
                    THEN {lockedUntil}
                    ELSE t.locked_until END
            RETURNING locked_until AS "Value"
            """).ToListAsync(cancellationToken);

        var remaining = result.SingleOrDefault() - now;
        return remaining > TimeSpan.Zero ? remaining : null;
    }

    public Task ResetAsync(string normalizedEmail, CancellationToken cancellationToken) =>
        db.SignInThrottles.Where(t => t.NormalizedEmail == normalizedEmail).ExecuteDeleteAsync(cancellationToken);
}
