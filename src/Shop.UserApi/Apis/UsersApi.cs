using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Shop.ServiceDefaults;
using Shop.ServiceDefaults.Authentication;
using Shop.ServiceDefaults.Messaging;
using Shop.IntegrationEvents.Users;
using Shop.ServiceDefaults.Paging;
using Shop.UserApi.Contracts;
using Shop.UserApi.Extensions;
using Shop.UserApi.Infrastructure;
using Shop.UserApi.Model;
using Shop.UserApi.Services;

namespace Shop.UserApi.Apis;

public static class UsersApi
{
    /// <summary>
    /// Names the logs of these endpoints ("Shop.UserApi.Apis.UsersApi.Endpoints"), since a static class cannot be
    /// <see cref="ILogger{TCategoryName}"/>'s type argument.
    /// </summary>
    public sealed class Endpoints;

    public static IEndpointRouteBuilder MapUsersApi(this IEndpointRouteBuilder app)
    {
        var users = app.MapGroup("/api/users").WithTags("Users");

        users.MapPost("/register", Register).AllowAnonymous().RequireRegistrationRateLimit();

        var me = users.MapGroup("/me").RequireAuthorization(ShopPolicies.Customer);
        me.MapGet("/", GetMe);
        me.MapPut("/", UpdateMe).RequireSignInRateLimit();
        me.MapPut("/password", ChangePassword).RequireSignInRateLimit();
        me.MapDelete("/", DeleteMe).RequireSignInRateLimit();

        users.MapGet("/", ListUsers).RequireAuthorization(ShopPolicies.Admin).ProducesValidationProblem();
        users.MapPut("/{id:guid}/roles", SetRoles).RequireAuthorization(ShopPolicies.Admin);

        return app;
    }

    public static async Task<Results<Created<UserProfile>, ProblemHttpResult>> Register(
        RegisterRequest request, UserDbContext db, IPasswordHasher<User> passwordHasher, UserMetrics metrics, TimeProvider timeProvider,
        ILogger<Endpoints> logger, CancellationToken cancellationToken)
    {
        var normalizedEmail = User.NormalizeEmail(request.Email);
        if (await db.Users.AnyAsync(u => u.NormalizedEmail == normalizedEmail, cancellationToken))
        {
            return EmailTaken();
        }

        var user = new User(request.Email, request.DisplayName, passwordHasher.HashPassword(null!, request.Password), timeProvider.GetUtcNow());
        db.Users.Add(user);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            return EmailTaken();
        }

        metrics.Registered();
        Log.UserRegistered(logger, user.Id);
        return TypedResults.Created("/api/users/me", user.ToProfile());
    }

    public static async Task<Results<Ok<UserProfile>, NotFound>> GetMe(ClaimsPrincipal principal, UserDbContext db, CancellationToken cancellationToken)
    {
        var userId = principal.RequiredAccountId();
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == userId, cancellationToken);
        return user is null ? TypedResults.NotFound() : TypedResults.Ok(user.ToProfile());
    }

    public static async Task<Results<Ok<UserProfile>, NotFound, ValidationProblem, ProblemHttpResult>> UpdateMe(
        UpdateProfileRequest request, ClaimsPrincipal principal, UserDbContext db, IPasswordHasher<User> passwordHasher, TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        var userId = principal.RequiredAccountId();
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == userId, cancellationToken);
        if (user is null)
        {
            return TypedResults.NotFound();
        }

        var now = timeProvider.GetUtcNow();
        var emailChanges = request.Email is { } email && User.NormalizeEmail(email) != user.NormalizedEmail;
        if (emailChanges)
        {
            if (WrongCurrentPassword(passwordHasher, user, request.CurrentPassword, "Changing the email requires the current password.") is { } wrong)
            {
                return wrong;
            }

            var normalizedEmail = User.NormalizeEmail(request.Email!);
            if (await db.Users.AnyAsync(u => u.NormalizedEmail == normalizedEmail && u.Id != userId, cancellationToken))
            {
                return EmailTaken();
            }

            user.ChangeEmail(request.Email!, now);
        }

        user.ChangeDisplayName(request.DisplayName, now);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            return EmailTaken();
        }
        catch (DbUpdateConcurrencyException)
        {
            return ChangedConcurrently();
        }

        return TypedResults.Ok(user.ToProfile());
    }

    /// <summary>Changes the password and ends every other session of the account (their access tokens included).</summary>
    public static async Task<Results<NoContent, NotFound, ValidationProblem, ProblemHttpResult>> ChangePassword(
        ChangePasswordRequest request, ClaimsPrincipal principal, UserDbContext db, IPasswordHasher<User> passwordHasher,
        RefreshTokenService refreshTokens, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var userId = principal.RequiredAccountId();
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == userId, cancellationToken);
        if (user is null)
        {
            return TypedResults.NotFound();
        }

        if (WrongCurrentPassword(passwordHasher, user, request.CurrentPassword) is { } wrong)
        {
            return wrong;
        }

        user.ChangePasswordHash(passwordHasher.HashPassword(user, request.NewPassword), timeProvider.GetUtcNow());
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return ChangedConcurrently();
        }

        await refreshTokens.RevokeOtherFamiliesAsync(userId, principal.SessionId(), cancellationToken);
        return TypedResults.NoContent();
    }

    /// <summary>
    /// Deletes the caller's account with its addresses, ends every session (the caller's too) and publishes
    /// <see cref="UserDeleted"/>, on which the other services forget the person (README "Account deletion").
    /// An administrator cannot delete their own account: the admin role is taken away first, by another one.
    /// </summary>
    public static async Task<Results<NoContent, NotFound, ValidationProblem, ProblemHttpResult>> DeleteMe(
        [FromBody] DeleteAccountRequest request, ClaimsPrincipal principal, UserDbContext db, EventOutbox<UserDbContext> outbox,
        IPasswordHasher<User> passwordHasher, RefreshTokenService refreshTokens, TimeProvider timeProvider, ILogger<Endpoints> logger,
        CancellationToken cancellationToken)
    {
        var userId = principal.RequiredAccountId();
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == userId, cancellationToken);
        if (user is null)
        {
            return TypedResults.NotFound();
        }

        if (WrongCurrentPassword(passwordHasher, user, request.CurrentPassword) is { } wrong)
        {
            return wrong;
        }

        if (user.IsInRole(ShopRoles.Admin))
        {
            return TypedResults.Problem(
                title: "An administrator cannot delete their own account",
                detail: "Ask another administrator to remove your admin role first, so that the shop is never left without one.",
                statusCode: StatusCodes.Status409Conflict);
        }

        // Sessions end before the account goes (their refresh tokens go with it): a deletion that then fails
        // has only signed the owner out.
        await refreshTokens.RevokeOtherFamiliesAsync(userId, keepFamilyId: null, cancellationToken);
        var now = timeProvider.GetUtcNow();
        // Addresses and refresh tokens go with the account (ON DELETE CASCADE); the row version makes a deletion
        // that crossed a change of the account (a new role) fail instead of deleting what the owner did not see.
        // Failed sign-ins are counted by email address, so that count would still name the person: it goes too.
        db.Users.Remove(user);
        if (await db.SignInThrottles.SingleOrDefaultAsync(t => t.NormalizedEmail == user.NormalizedEmail, cancellationToken) is { } throttle)
        {
            db.SignInThrottles.Remove(throttle);
        }

        try
        {
            await outbox.SaveChangesAsync([new UserDeleted(Guid.CreateVersion7(now), now, userId)], cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return ChangedConcurrently();
        }

        Log.UserDeleted(logger, userId);
        return TypedResults.NoContent();
    }

    public static async Task<Ok<UserPage>> ListUsers([AsParameters] IdPageRequest page, UserDbContext db, CancellationToken cancellationToken)
    {
        // Keyset paging on the time-ordered id: every page costs the same, however deep.
        var query = db.Users.AsNoTracking();
        if (page.LastId is { } lastId)
        {
            query = query.Where(u => u.Id > lastId);
        }

        var rows = await query.OrderBy(u => u.Id).Take(page.PageSize + 1).ToListAsync(cancellationToken);
        var items = rows.Take(page.PageSize).Select(u => u.ToProfile()).ToList();
        return TypedResults.Ok(new UserPage(items, rows.Count > page.PageSize ? IdCursor.Encode(items[^1].Id) : null));
    }

    public static async Task<Results<Ok<UserProfile>, NotFound, ValidationProblem, ProblemHttpResult>> SetRoles(
        Guid id, SetRolesRequest request, ClaimsPrincipal principal, UserDbContext db, SessionRevocations revocations, TimeProvider timeProvider,
        IOptions<AdminAccountOptions> configuredAdmin, ILogger<Endpoints> logger, CancellationToken cancellationToken)
    {
        var unknown = request.Roles.Where(role => !ShopRoles.UserRoles.Contains(role)).ToList();
        if (unknown.Count > 0)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                [nameof(SetRolesRequest.Roles)] = [$"Unknown roles: {string.Join(", ", unknown)}. An account can have: {string.Join(", ", ShopRoles.UserRoles)}."],
            });
        }

        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == id, cancellationToken);
        if (user is null)
        {
            return TypedResults.NotFound();
        }

        var adminId = principal.RequiredAccountId();
        var demotesAdmin = user.IsInRole(ShopRoles.Admin) && !request.Roles.Contains(ShopRoles.Admin);
        if (ForbiddenDemotion(user, adminId, request.Roles, configuredAdmin.Value) is { } forbidden)
        {
            return forbidden;
        }

        var rolesBefore = user.Roles.ToList();
        if (demotesAdmin)
        {
            if (await DemoteAdminAsync(db, user.Id, adminId, request.Roles, timeProvider, cancellationToken) is { } refused)
            {
                return refused;
            }

            user = await db.Users.AsNoTracking().SingleAsync(u => u.Id == id, cancellationToken);
        }
        else
        {
            user.SetRoles(request.Roles, timeProvider.GetUtcNow());
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateConcurrencyException)
            {
                return ChangedConcurrently();
            }
        }

        if (!rolesBefore.SequenceEqual(user.Roles))
        {
            await MarkTokensStaleAsync(revocations, user.Id, timeProvider, cancellationToken);
        }

        Log.RolesChanged(logger, user.Id, string.Join(",", user.Roles), adminId);
        return TypedResults.Ok(user.ToProfile());
    }

    /// <summary>The role changes no administrator may make, whoever else remains.</summary>
    private static ProblemHttpResult? ForbiddenDemotion(User user, Guid adminId, IReadOnlyCollection<string> roles, AdminAccountOptions configuredAdmin)
    {
        if (user.Id == adminId && !roles.Contains(ShopRoles.Admin))
        {
            return TypedResults.Problem(
                title: "An administrator cannot remove their own admin role",
                detail: "Ask another administrator, so that the shop is never left without one.",
                statusCode: StatusCodes.Status409Conflict);
        }

        var demotesAdmin = user.IsInRole(ShopRoles.Admin) && !roles.Contains(ShopRoles.Admin);
        if (demotesAdmin && configuredAdmin.Email is { Length: > 0 } adminEmail && User.NormalizeEmail(adminEmail) == user.NormalizedEmail)
        {
            // user-api refuses to start while the admin-email address belongs to a non-administrator.
            return TypedResults.Problem(
                title: "The configured administrator keeps the admin role",
                detail: "This account holds the admin-email address the AppHost configures; change that parameter before demoting it.",
                statusCode: StatusCodes.Status409Conflict);
        }

        return null;
    }

    /// <summary>
    /// Tokens issued until now carry the old roles: every service refuses them, and the account's next
    /// refresh carries the new ones. Answering once the mark has passed means a token issued after this
    /// answer is never mistaken for an old one. The mark is on the wall clock, which timers do not follow:
    /// they count a coarse monotonic clock (4 ms steps on Linux) and have woken up to 5 ms before the mark,
    /// when a sign-in right after the answer got a token refused as stale. So the clock is read again after
    /// each wait.
    /// </summary>
    private static async Task MarkTokensStaleAsync(SessionRevocations revocations, Guid userId, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var freshFrom = await revocations.MarkTokensStaleAsync(userId, cancellationToken);
        while (freshFrom - timeProvider.GetUtcNow() is { Ticks: > 0 } wait)
        {
            await Task.Delay(wait + TimeSpan.FromMilliseconds(1), timeProvider, cancellationToken);
        }
    }

    /// <summary>
    /// Takes the admin role from an account, so that the shop is never left without an administrator:
    /// every demotion locks the administrators' rows (in id order, so demotions take turns), checks that
    /// the caller still is one and that another remains, and saves in the same transaction. Two admins
    /// demoting each other at the same moment: the second finds it is no longer an administrator.
    /// </summary>
    private static async Task<ProblemHttpResult?> DemoteAdminAsync(
        UserDbContext db, Guid userId, Guid callerId, IEnumerable<string> roles, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async ct =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var admins = await db.Database
                .SqlQuery<Guid>($"SELECT id AS \"Value\" FROM users WHERE {ShopRoles.Admin} = ANY(roles) ORDER BY id FOR UPDATE")
                .ToListAsync(ct);
            if (!admins.Contains(callerId))
            {
                return TypedResults.Problem(
                    title: "You are no longer an administrator",
                    detail: "Your admin role was removed meanwhile.",
                    statusCode: StatusCodes.Status403Forbidden);
            }

            if (admins.Contains(userId) && admins.Count < 2)
            {
                return TypedResults.Problem(
                    title: "The shop would be left without an administrator",
                    detail: "Grant another account the admin role first.",
                    statusCode: StatusCodes.Status409Conflict);
            }

            var user = await db.Users.SingleAsync(u => u.Id == userId, ct);
            user.SetRoles(roles, timeProvider.GetUtcNow());
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return null;
        }, cancellationToken);
    }

    /// <summary>
    /// The current password, asked as a second proof of the owner before a sensitive change (the email, the password,
    /// deleting the account): a 400 on the <c>currentPassword</c> field when it is missing or wrong, null when right.
    /// </summary>
    private static ValidationProblem? WrongCurrentPassword(IPasswordHasher<User> passwordHasher, User user, string? currentPassword, string message = "The current password is not correct.") =>
        string.IsNullOrEmpty(currentPassword) || passwordHasher.VerifyHashedPassword(user, user.PasswordHash, currentPassword) == PasswordVerificationResult.Failed
            ? TypedResults.ValidationProblem(new Dictionary<string, string[]> { [nameof(DeleteAccountRequest.CurrentPassword)] = [message] })
            : null;

    private static ProblemHttpResult EmailTaken() => TypedResults.Problem(
        title: "Email already registered",
        detail: "An account with this email address exists.",
        statusCode: StatusCodes.Status409Conflict);

    private static ProblemHttpResult ChangedConcurrently() => TypedResults.Problem(
        title: "The account changed meanwhile",
        detail: "Another request changed this account at the same time; read it again and retry.",
        statusCode: StatusCodes.Status409Conflict);
}
