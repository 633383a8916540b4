using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Shop.UserApi.Infrastructure;

namespace Shop.UserApi.Services;

/// <summary>
/// Counts sign-in attempts per email address (registered or not) and locks the address once more than
/// <see cref="LockoutOptions.MaxFailedAttempts"/> attempts without a success fall within
/// <see cref="LockoutOptions.Window"/>. Each attempt is one atomic upsert, so concurrent attempts
/// cannot slip past the limit.
/// </summary>
public sealed class SignInThrottler(UserDbContext db, IOptions<LockoutOptions> lockoutOptions, TimeProvider timeProvider)
{
    /// <summary>
    /// Counts an attempt for the address before its password is checked, in one atomic upsert, and says
    /// whether it may go ahead: null, or how long the address is locked. Counting first means that
    /// however many attempts arrive at once, at most <see cref="LockoutOptions.MaxFailedAttempts"/> of
    /// them reach a password check per window. A successful sign-in resets the count.
    /// </summary>
    public async Task<TimeSpan?> BeginAttemptAsync(string normalizedEmail, CancellationToken cancellationToken)
    {
        var options = lockoutOptions.Value;
        var now = timeProvider.GetUtcNow();
        var windowOpenedAfter = now - options.Window;
        var lockedUntil = now + options.Duration;

        // A lock in force stays as it is. An expired lock or window starts a fresh count. Going past
        // the limit locks the address from now on.
        var result = await db.Database.SqlQuery<DateTimeOffset?>($"""
            INSERT INTO sign_in_throttles AS t (normalized_email, failed_attempts, window_started_at, locked_until)
            VALUES ({normalizedEmail}, 1, {now}, CASE WHEN 1 > {options.MaxFailedAttempts} THEN {lockedUntil} END)
            ON CONFLICT (normalized_email) DO UPDATE SET
                failed_attempts = CASE
                    WHEN t.locked_until > {now} THEN t.failed_attempts
                    WHEN t.locked_until IS NOT NULL OR t.window_started_at <= {windowOpenedAfter} THEN 1
                    ELSE t.failed_attempts + 1 END,
                window_started_at = CASE
                    WHEN t.locked_until > {now} THEN t.window_started_at
                    WHEN t.locked_until IS NOT NULL OR t.window_started_at <= {windowOpenedAfter} THEN {now}
                    ELSE t.window_started_at END,
                locked_until = CASE
                    WHEN t.locked_until > {now} THEN t.locked_until
                    WHEN t.locked_until IS NOT NULL OR t.window_started_at <= {windowOpenedAfter} THEN NULL
                    WHEN t.failed_attempts + 1 > {options.MaxFailedAttempts} THEN {lockedUntil}
                    ELSE NULL END
            RETURNING locked_until AS "Value"
            """).ToListAsync(cancellationToken);

        var remaining = result.SingleOrDefault() - now;
        return remaining > TimeSpan.Zero ? remaining : null;
    }

    public Task ResetAsync(string normalizedEmail, CancellationToken cancellationToken) =>
        db.SignInThrottles.Where(t => t.NormalizedEmail == normalizedEmail).ExecuteDeleteAsync(cancellationToken);
}
