using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Shop.ServiceDefaults.Authentication;
using Shop.UserApi.Contracts;
using Shop.UserApi.Infrastructure;
using Shop.UserApi.Model;

namespace Shop.UserApi.Apis;

/// <summary>
/// The caller's address book. Every query is scoped to the caller, so another account's address id is
/// simply not found.
/// </summary>
public static class AddressesApi
{
    public const int MaxAddressesPerUser = 20;

    public static IEndpointRouteBuilder MapAddressesApi(this IEndpointRouteBuilder app)
    {
        var addresses = app.MapGroup("/api/users/me/addresses").WithTags("Addresses").RequireAuthorization(ShopPolicies.Customer);
        addresses.MapGet("/", ListAddresses);
        addresses.MapGet("/{id:guid}", GetAddress);
        addresses.MapPost("/", CreateAddress);
        addresses.MapPut("/{id:guid}", UpdateAddress);
        addresses.MapDelete("/{id:guid}", DeleteAddress);
        addresses.MapPost("/{id:guid}/default", SetDefaultAddress);
        return app;
    }

    public static async Task<Ok<List<AddressResponse>>> ListAddresses(ClaimsPrincipal principal, UserDbContext db, CancellationToken cancellationToken)
    {
        var userId = principal.RequiredAccountId();
        var addresses = await db.Addresses.AsNoTracking().Where(a => a.UserId == userId).OrderBy(a => a.Id).ToListAsync(cancellationToken);
        return TypedResults.Ok(addresses.Select(a => a.ToResponse()).ToList());
    }

    public static async Task<Results<Ok<AddressResponse>, NotFound>> GetAddress(Guid id, ClaimsPrincipal principal, UserDbContext db, CancellationToken cancellationToken)
    {
        var userId = principal.RequiredAccountId();
        var address = await db.Addresses.AsNoTracking().SingleOrDefaultAsync(a => a.Id == id && a.UserId == userId, cancellationToken);
        return address is null ? TypedResults.NotFound() : TypedResults.Ok(address.ToResponse());
    }

    public static async Task<Results<Created<AddressResponse>, ProblemHttpResult>> CreateAddress(
        AddressRequest request, ClaimsPrincipal principal, UserDbContext db, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var userId = principal.RequiredAccountId();
        // Count and insert with the account locked: concurrent additions take turns, so the address book can never
        // grow past the cap, and exactly one of them is the first.
        return await WithAccountLockedAsync(db, userId, async ct =>
        {
            if (await db.Addresses.CountAsync(a => a.UserId == userId, ct) >= MaxAddressesPerUser)
            {
                return (Results<Created<AddressResponse>, ProblemHttpResult>)TypedResults.Problem(
                    title: "Address book full",
                    detail: $"An account keeps at most {MaxAddressesPerUser} addresses; delete one first.",
                    statusCode: StatusCodes.Status409Conflict);
            }

            var address = new Address(userId, request.ToDetails(), timeProvider.GetUtcNow());
            // An address saved while the user has no default becomes it: the first one, or the next after the default was deleted.
            if (!await db.Addresses.AnyAsync(a => a.UserId == userId && a.IsDefault, ct))
            {
                address.MarkDefault();
            }

            db.Addresses.Add(address);
            await db.SaveChangesAsync(ct);
            return TypedResults.Created($"/api/users/me/addresses/{address.Id}", address.ToResponse());
        }, cancellationToken);
    }

    public static async Task<Results<Ok<AddressResponse>, NotFound>> UpdateAddress(
        Guid id, AddressRequest request, ClaimsPrincipal principal, UserDbContext db, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var userId = principal.RequiredAccountId();
        var address = await db.Addresses.SingleOrDefaultAsync(a => a.Id == id && a.UserId == userId, cancellationToken);
        if (address is null)
        {
            return TypedResults.NotFound();
        }

        address.Update(request.ToDetails(), timeProvider.GetUtcNow());
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Deleted between the read and the update: it is gone, as a read now would say.
            return TypedResults.NotFound();
        }

        return TypedResults.Ok(address.ToResponse());
    }

    /// <summary>
    /// Makes the address the user's default (the one checkout offers first), and no other. Requests of one user take
    /// turns on the account's row, so concurrent choices end with exactly one default, the last one's.
    /// </summary>
    public static async Task<Results<Ok<AddressResponse>, NotFound>> SetDefaultAddress(
        Guid id, ClaimsPrincipal principal, UserDbContext db, CancellationToken cancellationToken)
    {
        var userId = principal.RequiredAccountId();
        return await WithAccountLockedAsync(db, userId, async ct =>
        {
            if (!await db.Addresses.AnyAsync(a => a.Id == id && a.UserId == userId, ct))
            {
                return (Results<Ok<AddressResponse>, NotFound>)TypedResults.NotFound();
            }

            // Two statements: the unique index allows one default per user after every statement, not only at commit.
            await db.Addresses.Where(a => a.UserId == userId && a.IsDefault && a.Id != id)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.IsDefault, false), ct);
            await db.Addresses.Where(a => a.Id == id && a.UserId == userId)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.IsDefault, true), ct);
            var address = await db.Addresses.AsNoTracking().SingleAsync(a => a.Id == id, ct);
            return (Results<Ok<AddressResponse>, NotFound>)TypedResults.Ok(address.ToResponse());
        }, cancellationToken);
    }

    /// <summary>
    /// Runs <paramref name="work"/> in a transaction that first locks the account's row (requests of one user about its
    /// address book take turns), committed after it, and retried as a whole by the execution strategy.
    /// </summary>
    private static Task<T> WithAccountLockedAsync<T>(UserDbContext db, Guid userId, Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken) =>
        db.Database.CreateExecutionStrategy().ExecuteAsync(async ct =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            await db.Database.ExecuteSqlAsync($"SELECT 1 FROM users WHERE id = {userId} FOR NO KEY UPDATE", ct);
            var result = await work(ct);
            await transaction.CommitAsync(ct);
            return result;
        }, cancellationToken);

    public static async Task<Results<NoContent, NotFound>> DeleteAddress(Guid id, ClaimsPrincipal principal, UserDbContext db, CancellationToken cancellationToken)
    {
        var userId = principal.RequiredAccountId();
        var deleted = await db.Addresses.Where(a => a.Id == id && a.UserId == userId).ExecuteDeleteAsync(cancellationToken);
        return deleted == 0 ? TypedResults.NotFound() : TypedResults.NoContent();
    }
}
