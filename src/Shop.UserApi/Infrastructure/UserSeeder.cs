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
        await services.GetRequiredService<SigningKeyStore>().EnsureCurrentKeyAsync(db, cancellationToken);

        var admin = services.GetRequiredService<IOptions<AdminAccountOptions>>().Value;
        if (admin.Email is { Length: > 0 } email && admin.Password is { Length: > 0 } password)
        {
            await EnsureAdminAsync(db, services, email, password, cancellationToken);
        }
    }

    private static async Task EnsureAdminAsync(UserDbContext db, IServiceProvider services, string email, string password, CancellationToken cancellationToken)
    {
        var hasher = services.GetRequiredService<IPasswordHasher<User>>();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var normalizedEmail = User.NormalizeEmail(email);

        var user = await db.Users.SingleOrDefaultAsync(u => u.NormalizedEmail == normalizedEmail, cancellationToken);
        if (user is null)
        {
            user = new User(email, "Administrator", hasher.HashPassword(null!, password), now);
            db.Users.Add(user);
        }
        else if (hasher.VerifyHashedPassword(user, user.PasswordHash, password) == PasswordVerificationResult.Failed)
        {
            // The parameter is the source of truth: a changed admin-password takes effect at the next start.
            user.ChangePasswordHash(hasher.HashPassword(user, password), now);
        }

        if (!user.IsInRole(ShopRoles.Admin))
        {
            user.SetRoles([.. user.Roles, ShopRoles.Admin], now);
        }

        db.ChangeTracker.DetectChanges();
        if (db.ChangeTracker.HasChanges())
        {
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException ex) when (ex.IsUniqueViolation())
            {
                // Another replica created it at the same moment; its result is the same.
            }
        }

        Log.AdminAccountEnsured(services.GetRequiredService<ILogger<UserDbContext>>(), user.Id);
    }
}
