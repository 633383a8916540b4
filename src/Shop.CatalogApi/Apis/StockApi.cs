using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Shop.CatalogApi.Contracts;
using Shop.CatalogApi.Infrastructure;
using Shop.CatalogApi.Services;
using Shop.ServiceDefaults.Authentication;
using Shop.ServiceDefaults.Idempotency;

namespace Shop.CatalogApi.Apis;

/// <summary>Staff view and changes of a product's stock. Customers see availability on the product itself.</summary>
public static class StockApi
{
    /// <summary>
    /// Names the logs of these endpoints ("Shop.CatalogApi.Apis.StockApi.Endpoints"), since a static class cannot be
    /// <see cref="ILogger{TCategoryName}"/>'s type argument.
    /// </summary>
    public sealed class Endpoints;

    public static IEndpointRouteBuilder MapStockApi(this IEndpointRouteBuilder app)
    {
        var stock = app.MapGroup("/api/products/{id:guid}/stock").WithTags("Stock").RequireAuthorization(ShopPolicies.Admin);
        stock.MapGet("/", GetStock);
        stock.MapPut("/", SetStock);
        // A relative change must not count twice when it is sent twice; setting a counted number (PUT) is safe to repeat.
        stock.MapPost("/adjustments", AdjustStock).RequireIdempotencyKey();
        stock.MapGet("/adjustments", ListAdjustments);
        return app;
    }

    public static async Task<Results<Ok<StockLevel>, NotFound>> GetStock(Guid id, StockService stock, CancellationToken cancellationToken) =>
        await stock.GetAsync(id, cancellationToken) is { } level ? TypedResults.Ok(level) : TypedResults.NotFound();

    /// <summary>Sets on-hand stock to a counted number (a stock-take).</summary>
    public static async Task<Results<Ok<StockLevel>, NotFound, ProblemHttpResult>> SetStock(
        Guid id, SetStockRequest request, StockService stock, ProductCatalog catalog, ClaimsPrincipal principal, ILogger<Endpoints> logger,
        CancellationToken cancellationToken) =>
        await RespondAsync(id, await stock.SetAsync(id, request.OnHand!.Value, request.Reason, principal.RequiredAccountId(), cancellationToken), catalog, principal, logger, cancellationToken);

    /// <summary>
    /// Adds (a delivery) or removes (damage, loss) units. The Idempotency-Key header is required: a retry with the key
    /// gets the first answer and changes nothing more.
    /// </summary>
    public static async Task<Results<Ok<StockLevel>, NotFound, ProblemHttpResult>> AdjustStock(
        Guid id, AdjustStockRequest request, HttpRequest http, StockService stock, ProductCatalog catalog, ClaimsPrincipal principal,
        ILogger<Endpoints> logger, CancellationToken cancellationToken) =>
        // The key was checked by the idempotency middleware (RequireIdempotencyKey), which also documents the header.
        await RespondAsync(id, await stock.AdjustAsync(id, request.Delta!.Value, request.Reason, principal.RequiredAccountId(),
            http.Headers[IdempotencyHeaders.Key].ToString(), cancellationToken), catalog, principal, logger, cancellationToken);

    public static async Task<Results<Ok<List<StockAdjustmentResponse>>, NotFound>> ListAdjustments(Guid id, CatalogDbContext db, CancellationToken cancellationToken)
    {
        if (!await db.Stock.AnyAsync(s => s.ProductId == id, cancellationToken))
        {
            return TypedResults.NotFound();
        }

        return TypedResults.Ok(await db.StockAdjustments.AsNoTracking()
            .Where(a => a.ProductId == id)
            .OrderByDescending(a => a.AdjustedAt)
            .Take(100)
            .Select(a => new StockAdjustmentResponse(a.Id, a.OnHandBefore, a.OnHandAfter, a.Reason, a.AdjustedBy, a.AdjustedAt))
            .ToListAsync(cancellationToken));
    }

    private static async Task<Results<Ok<StockLevel>, NotFound, ProblemHttpResult>> RespondAsync(
        Guid id, StockChange change, ProductCatalog catalog, ClaimsPrincipal principal, ILogger logger, CancellationToken cancellationToken)
    {
        switch (change)
        {
            case StockChange.Changed changed:
                catalog.Forget(id);
                Log.StockChanged(logger, id, changed.Level.OnHand, principal.RequiredAccountId());
                return TypedResults.Ok(changed.Level);
            case StockChange.BelowReserved refused:
                return TypedResults.Problem(
                    title: "Stock cannot fall below what is reserved",
                    detail: $"{refused.Level.Reserved} units are reserved for open orders; on hand cannot go below that.",
                    statusCode: StatusCodes.Status409Conflict,
                    extensions: new Dictionary<string, object?> { ["reserved"] = refused.Level.Reserved, ["onHand"] = refused.Level.OnHand });
            default:
                return TypedResults.NotFound();
        }
    }
}
