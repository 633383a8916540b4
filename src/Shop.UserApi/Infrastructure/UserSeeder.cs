using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Shop.ServiceDefaults;
using Shop.ServiceDefaults.Authentication;
using Shop.UserApi.Model;
using Shop.UserApi.Services;

namespace Shop.UserApi.Infrastructure;

/// <summary>
/// Runs after the migrations at every start-up, in every environment: a current signing key, and the
/// administrator account from configuration (the AppHost's admin-email and admin-password parameters).
/// Both steps are idempotent.
/// </summary>
internal static class UserSeeder
{
    public static async Task SeedAsync(UserDbContext db, IServiceProvider services, CancellationToken cancellationToken)
    {
        await services.GetRequiredService<SigningKeyStore>().EnsureCurrentKeyAsync(cancellationToken);

        var admin = services.GetRequiredService<IOptions<AdminAccountOptions>>().Value;
        if (admin.Email is { Length: > 0 } email && admin.Password is { Length: > 0 } password)
        {
            await EnsureAdminAsync(db, services, email, password, cancellationToken);
        }
    }

    /// <summary>
    /// Creates the administrator account, or repairs one that already is an administrator (its password
    /// follows the admin-password parameter; a reset ends every session of the account). An address held
    /// by an account that is not an administrator is refused: whoever registered it keeps their account
    /// as it is, and user-api does not start until the parameter or the account is sorted out.
    /// </summary>
    internal static async Task EnsureAdminAsync(UserDbContext db, IServiceProvider services, string email, string password, CancellationToken cancellationToken)
    {
        var hasher = services.GetRequiredService<IPasswordHasher<User>>();
        var timeProvider = services.GetRequiredService<TimeProvider>();
        var normalizedEmail = User.NormalizeEmail(email);

        var user = await db.Users.SingleOrDefaultAsync(u => u.NormalizedEmail == normalizedEmail, cancellationToken);
        if (user is null)
        {
            user = new User(email, "Administrator", hasher.HashPassword(null!, password), timeProvider.GetUtcNow());
            user.SetRoles([ShopRoles.Admin], timeProvider.GetUtcNow());
            db.Users.Add(user);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                Log.AdminAccountEnsured(services.GetRequiredService<ILogger<UserDbContext>>(), user.Id);
                return;
            }
            catch (DbUpdateException ex) when (ex.IsUniqueViolation())
            {
                // Created at the same moment, by another replica or by a registration: check what it is.
                db.ChangeTracker.Clear();
                user = await db.Users.SingleAsync(u => u.NormalizedEmail == normalizedEmail, cancellationToken);
            }
        }

        if (!user.IsInRole(ShopRoles.Admin))
        {
            throw new InvalidOperationException(
                $"The admin-email address belongs to account {user.Id}, which is not an administrator. user-api does not turn an " +
                "existing account into the administrator, since anyone may have registered the address. Set the AppHost parameter " +
                "admin-email to the address of an administrator or to an unused address, or have an administrator grant that account the admin role.");
        }

        if (hasher.VerifyHashedPassword(user, user.PasswordHash, password) != PasswordVerificationResult.Failed)
        {
            Log.AdminAccountEnsured(services.GetRequiredService<ILogger<UserDbContext>>(), user.Id);
            return;
        }

        // The parameter is the source of truth: a changed admin-password takes effect at the next start,
        // and whoever signed in with the old one is signed out everywhere.
        user.ChangePasswordHash(hasher.HashPassword(user, password), timeProvider.GetUtcNow());
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another replica reset it at the same moment, to the same password.
        }

        await services.GetRequiredService<RefreshTokenService>().RevokeOtherFamiliesAsync(user.Id, keepFamilyId: null, cancellationToken);
        Log.AdminAccountEnsured(services.GetRequiredService<ILogger<UserDbContext>>(), user.Id);
    }
}
