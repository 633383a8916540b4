using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Shop.UserApi.Contracts;
using Shop.UserApi.Infrastructure;
using Shop.UserApi.Model;

namespace Shop.UserApi.Services;

/// <summary>
/// Password sign-in and token refresh. An unknown email and a wrong password take the same path, the
/// same time (a password hash is verified either way) and give the same answer, so neither the response
/// nor its timing tells whether an address is registered.
/// </summary>
public sealed class SignInService(
    UserDbContext db,
    IPasswordHasher<User> passwordHasher,
    SignInThrottler throttler,
    RefreshTokenService refreshTokens,
    TokenIssuer tokenIssuer,
    UserMetrics metrics,
    TimeProvider timeProvider,
    ILogger<SignInService> logger)
{
    // Verified against when the email is unknown, so both paths cost one hash verification.
    private static readonly Lazy<string> UnknownUserHash = new(() => new PasswordHasher<User>().HashPassword(null!, Guid.NewGuid().ToString()));

    public async Task<SignInAttempt> SignInAsync(string email, string password, CancellationToken cancellationToken)
    {
        var normalizedEmail = User.NormalizeEmail(email);
        if (await throttler.BeginAttemptAsync(normalizedEmail, cancellationToken) is { } locked)
        {
            metrics.SignIn("locked");
            Log.SignInLockedOut(logger, EmailFingerprint(normalizedEmail));
            return new SignInAttempt.LockedOut(locked);
        }

        var readAt = timeProvider.GetUtcNow();
        var user = await db.Users.SingleOrDefaultAsync(u => u.NormalizedEmail == normalizedEmail, cancellationToken);
        PasswordVerificationResult verification;
        if (user is null)
        {
            // The hasher does not use the user argument; the result is thrown away.
            passwordHasher.VerifyHashedPassword(null!, UnknownUserHash.Value, password);
            verification = PasswordVerificationResult.Failed;
        }
        else
        {
            verification = passwordHasher.VerifyHashedPassword(user, user.PasswordHash, password);
        }

        if (user is null || verification == PasswordVerificationResult.Failed)
        {
            // The attempt was counted before the check.
            metrics.SignIn("failed");
            return new SignInAttempt.Rejected();
        }

        await throttler.ResetAsync(normalizedEmail, cancellationToken);
        if (verification == PasswordVerificationResult.SuccessRehashNeeded)
        {
            // An older hash format or iteration count: upgrade it now that we hold the password.
            user.ChangePasswordHash(passwordHasher.HashPassword(user, password), timeProvider.GetUtcNow());
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                Log.PasswordRehashed(logger, user.Id);
            }
            catch (DbUpdateConcurrencyException)
            {
                // The account changed meanwhile (another sign-in upgraded it, or its password changed):
                // leave the upgrade to a later sign-in, and issue from the account as it is now.
                db.ChangeTracker.Clear();
                readAt = timeProvider.GetUtcNow();
                user = await db.Users.SingleAsync(u => u.Id == user.Id, cancellationToken);
            }
        }

        var pair = await StartSessionAsync(user, readAt, cancellationToken);
        metrics.SignIn("succeeded");
        Log.SignedIn(logger, user.Id);
        return new SignInAttempt.SignedIn(pair);
    }

    /// <summary>Exchanges a refresh token for a new pair in the same session; null when it is not accepted.</summary>
    public async Task<TokenPair?> RefreshAsync(string refreshToken, CancellationToken cancellationToken)
    {
        var redeemed = await refreshTokens.RedeemAsync(refreshToken, cancellationToken);
        if (redeemed is null)
        {
            return null;
        }

        var readAt = timeProvider.GetUtcNow();
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == redeemed.UserId, cancellationToken);
        if (user is null)
        {
            return null;
        }

        var newRefreshToken = refreshTokens.Add(user.Id, redeemed.FamilyId);
        await db.SaveChangesAsync(cancellationToken);

        // A concurrent replay of the spent token may have revoked the session between the redeem and
        // the insert above, missing the new token: check after inserting, and revoke it too.
        if (await refreshTokens.IsFamilyRevokedAsync(redeemed.FamilyId, cancellationToken))
        {
            await refreshTokens.RevokeFamilyAsync(redeemed.FamilyId, cancellationToken);
            return null;
        }

        var access = await tokenIssuer.IssueForUserAsync(user, redeemed.FamilyId, readAt, cancellationToken);
        return new TokenPair(access.Value, newRefreshToken, access.ExpiresInSeconds);
    }

    /// <summary>Correlates log lines about one address without writing the address.</summary>
    private static string EmailFingerprint(string normalizedEmail) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(normalizedEmail)))[..12];

    private async Task<TokenPair> StartSessionAsync(User user, DateTimeOffset readAt, CancellationToken cancellationToken)
    {
        var familyId = Guid.CreateVersion7(timeProvider.GetUtcNow());
        var refreshToken = refreshTokens.Add(user.Id, familyId);
        await db.SaveChangesAsync(cancellationToken);
        var access = await tokenIssuer.IssueForUserAsync(user, familyId, readAt, cancellationToken);
        return new TokenPair(access.Value, refreshToken, access.ExpiresInSeconds);
    }
}

/// <summary>How a password sign-in ended.</summary>
public abstract record SignInAttempt
{
    private SignInAttempt()
    {
    }

    public sealed record SignedIn(TokenPair Tokens) : SignInAttempt;

    /// <summary>Too many failed attempts for the address: refused, whatever the password, until the lock ends.</summary>
    public sealed record LockedOut(TimeSpan LockedFor) : SignInAttempt;

    /// <summary>Unknown email or wrong password; which one is never told.</summary>
    public sealed record Rejected : SignInAttempt;
}
