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
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async ct =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);

            // Count and insert under a lock on the account's row: concurrent additions take turns, so
            // the address book can never grow past the cap.
            await db.Database.ExecuteSqlAsync($"SELECT 1 FROM users WHERE id = {userId} FOR NO KEY UPDATE", ct);
            if (await db.Addresses.CountAsync(a => a.UserId == userId, ct) >= MaxAddressesPerUser)
            {
                return (Results<Created<AddressResponse>, ProblemHttpResult>)TypedResults.Problem(
                    title: "Address book full",
                    detail: $"An account keeps at most {MaxAddressesPerUser} addresses; delete one first.",
                    statusCode: StatusCodes.Status409Conflict);
            }

            var address = new Address(userId, request.ToDetails(), timeProvider.GetUtcNow());
            db.Addresses.Add(address);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
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

    public static async Task<Results<NoContent, NotFound>> DeleteAddress(Guid id, ClaimsPrincipal principal, UserDbContext db, CancellationToken cancellationToken)
    {
        var userId = principal.RequiredAccountId();
        var deleted = await db.Addresses.Where(a => a.Id == id && a.UserId == userId).ExecuteDeleteAsync(cancellationToken);
        return deleted == 0 ? TypedResults.NotFound() : TypedResults.NoContent();
    }
}
