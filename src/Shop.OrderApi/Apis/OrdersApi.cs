using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Shop.ServiceDefaults.Messaging;
using Shop.OrderApi.Contracts;
using Shop.OrderApi.Infrastructure;
using Shop.OrderApi.Model;
using Shop.OrderApi.Services;
using Shop.ServiceDefaults.Authentication;
using Shop.ServiceDefaults.Idempotency;
using Shop.ServiceDefaults.Paging;

namespace Shop.OrderApi.Apis;

public static class OrdersApi
{
    /// <summary>
    /// Names the logs of these endpoints ("Shop.OrderApi.Apis.OrdersApi.Endpoints"), since a static class cannot be
    /// <see cref="ILogger{TCategoryName}"/>'s type argument.
    /// </summary>
    public sealed class Endpoints;

    public static IEndpointRouteBuilder MapOrdersApi(this IEndpointRouteBuilder app)
    {
        var orders = app.MapGroup("/api/orders").WithTags("Orders");
        orders.MapPost("/", PlaceOrder).RequireAuthorization(ShopPolicies.Customer).RequireIdempotencyKey();
        orders.MapGet("/", ListOrders).RequireAuthorization(ShopPolicies.Customer).ProducesValidationProblem();
        orders.MapGet("/to-ship", ListOrdersToShip).RequireAuthorization(ShopPolicies.Admin).ProducesValidationProblem();
        orders.MapGet("/{id:guid}", GetOrder).RequireAuthorization();
        orders.MapPost("/{id:guid}/cancel", CancelOrder).RequireAuthorization(ShopPolicies.Customer);
        orders.MapPost("/{id:guid}/ship", ShipOrder).RequireAuthorization(ShopPolicies.Admin);
        return app;
    }

    /// <summary>
    /// Checks out the cart. 201 with the order when paid; 409 with the order id when out of stock
    /// (Rejected); 402 with the order id when the card was declined (PaymentFailed); 202 with the order
    /// while a service it needs is unavailable (it settles shortly, see GET /api/orders/{id}). The
    /// Idempotency-Key header is required; a replay returns the first answer.
    /// </summary>
    public static async Task<Results<Created<OrderResponse>, Accepted<OrderResponse>, ValidationProblem, ProblemHttpResult>> PlaceOrder(
        CheckoutRequest request, [FromHeader(Name = IdempotencyHeaders.Key)] string idempotencyKey, ClaimsPrincipal principal, CheckoutService checkout,
        CancellationToken cancellationToken)
    {
        return await checkout.PlaceOrderAsync(principal.RequiredAccountId(), idempotencyKey, request, cancellationToken) switch
        {
            CheckoutResult.Invalid invalid => TypedResults.ValidationProblem(new Dictionary<string, string[]> { [invalid.Field] = [invalid.Message] }),
            CheckoutResult.Refused refused => TypedResults.Problem(
                title: refused.Title, detail: refused.Detail, statusCode: StatusCodes.Status409Conflict, extensions: refused.Extensions),
            CheckoutResult.Placed placed => Answer(placed.Order),
            var other => throw new InvalidOperationException($"Unknown checkout result {other}."),
        };
    }

    /// <summary>How a placed order is answered: by how far its checkout got.</summary>
    private static Results<Created<OrderResponse>, Accepted<OrderResponse>, ValidationProblem, ProblemHttpResult> Answer(Order order)
    {
        var response = order.ToResponse();
        return order.Status switch
        {
            OrderStatus.Paid => TypedResults.Created($"/api/orders/{order.Id}", response),
            OrderStatus.Rejected => TypedResults.Problem(
                title: "Out of stock", detail: order.FailureReason, statusCode: StatusCodes.Status409Conflict,
                extensions: new Dictionary<string, object?> { ["orderId"] = order.Id, ["orderStatus"] = response.Status }),
            OrderStatus.PaymentFailed => TypedResults.Problem(
                title: "Payment failed", detail: order.FailureReason, statusCode: StatusCodes.Status402PaymentRequired,
                extensions: new Dictionary<string, object?> { ["orderId"] = order.Id, ["orderStatus"] = response.Status }),
            _ => TypedResults.Accepted($"/api/orders/{order.Id}", response),
        };
    }

    /// <summary>The caller's orders, newest first, keyset paged.</summary>
    public static async Task<Ok<OrderPage>> ListOrders(
        [AsParameters] IdPageRequest page, ClaimsPrincipal principal, OrderDbContext db, CancellationToken cancellationToken)
    {
        var customerId = principal.RequiredAccountId();
        var query = db.Orders.AsNoTracking().WithRefunds().Where(o => o.CustomerId == customerId);
        if (page.LastId is { } lastId)
        {
            query = query.Where(o => EF.Functions.LessThan(ValueTuple.Create(o.Id, 0), ValueTuple.Create(lastId, 0)));
        }

        var rows = await query.OrderByDescending(o => o.Id).Take(page.PageSize + 1).ToListAsync(cancellationToken);
        var items = rows.Take(page.PageSize).Select(o => o.ToResponse()).ToList();
        return TypedResults.Ok(new OrderPage(items, rows.Count > page.PageSize ? IdCursor.Encode(items[^1].Id) : null));
    }

    /// <summary>
    /// For administrators: every customer's orders that are paid, settled and not shipped yet, oldest first (the order
    /// to ship them in), keyset-paged by id.
    /// </summary>
    public static async Task<Ok<OrderPage>> ListOrdersToShip([AsParameters] IdPageRequest page, OrderDbContext db, CancellationToken cancellationToken)
    {
        var query = db.Orders.AsNoTracking().WithRefunds().Where(o => o.Status == OrderStatus.Paid && o.Step == SagaStep.None);
        if (page.LastId is { } lastId)
        {
            query = query.Where(o => EF.Functions.GreaterThan(ValueTuple.Create(o.Id, 0), ValueTuple.Create(lastId, 0)));
        }

        var rows = await query.OrderBy(o => o.Id).Take(page.PageSize + 1).ToListAsync(cancellationToken);
        var items = rows.Take(page.PageSize).Select(o => o.ToResponse()).ToList();
        return TypedResults.Ok(new OrderPage(items, rows.Count > page.PageSize ? IdCursor.Encode(items[^1].Id) : null));
    }

    /// <summary>One order, for its customer or an admin; anyone else gets 404, as if it did not exist.</summary>
    public static async Task<Results<Ok<OrderResponse>, NotFound>> GetOrder(Guid id, ClaimsPrincipal principal, OrderDbContext db, CancellationToken cancellationToken)
    {
        var order = await db.Orders.AsNoTracking().WithRefunds().SingleOrDefaultAsync(o => o.Id == id, cancellationToken);
        return order is not null && CanSee(principal, order) ? TypedResults.Ok(order.ToResponse()) : TypedResults.NotFound();
    }

    /// <summary>
    /// Cancels a paid order that has not shipped: the payment is refunded and the stock returned. 200
    /// when done, 202 while a service it needs is unavailable (it finishes shortly), 409 in any other state.
    /// </summary>
    public static async Task<Results<Ok<OrderResponse>, Accepted<OrderResponse>, NotFound, ProblemHttpResult>> CancelOrder(
        Guid id, ClaimsPrincipal principal, OrderDbContext db, EventOutbox<OrderDbContext> outbox, CheckoutSaga saga, TimeProvider timeProvider, IOptions<OrderOptions> options,
        ILogger<Endpoints> logger, CancellationToken cancellationToken)
    {
        var order = await db.Orders.SingleOrDefaultAsync(o => o.Id == id, cancellationToken);
        if (order is null || order.CustomerId != principal.RequiredAccountId())
        {
            return TypedResults.NotFound();
        }

        var now = timeProvider.GetUtcNow();
        if (!order.TryStartCancel(now, now + options.Value.SagaLease))
        {
            return IllegalTransition(order, "cancelled");
        }

        try
        {
            await outbox.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return TypedResults.Problem(title: "The order changed meanwhile", detail: "Read it again.", statusCode: StatusCodes.Status409Conflict);
        }

        Log.OrderChanged(logger, id, "cancellation started", principal.RequiredAccountId());
        var settled = await saga.RunForRequestAsync(order, card: null);
        return settled.Status == OrderStatus.Cancelled
            ? TypedResults.Ok(settled.ToResponse())
            : TypedResults.Accepted($"/api/orders/{id}", settled.ToResponse());
    }

    public static async Task<Results<Ok<OrderResponse>, NotFound, ProblemHttpResult>> ShipOrder(
        Guid id, ClaimsPrincipal principal, OrderDbContext db, EventOutbox<OrderDbContext> outbox, TimeProvider timeProvider, ILogger<Endpoints> logger, CancellationToken cancellationToken)
    {
        var order = await db.Orders.WithRefunds().SingleOrDefaultAsync(o => o.Id == id, cancellationToken);
        if (order is null)
        {
            return TypedResults.NotFound();
        }

        if (!order.TryShip(timeProvider.GetUtcNow()))
        {
            return IllegalTransition(order, "shipped");
        }

        try
        {
            await outbox.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return TypedResults.Problem(title: "The order changed meanwhile", detail: "Read it again.", statusCode: StatusCodes.Status409Conflict);
        }

        Log.OrderChanged(logger, id, "shipped", principal.RequiredAccountId());
        return TypedResults.Ok(order.ToResponse());
    }

    /// <summary>Orders as they are shown: with the refunds payment-api reported (in a query of their own, beside the lines).</summary>
    private static IQueryable<Order> WithRefunds(this IQueryable<Order> orders) => orders.Include(o => o.Refunds).AsSplitQuery();

    private static bool CanSee(ClaimsPrincipal principal, Order order) =>
        principal.IsInRole(ShopRoles.Admin) || principal.AccountId() == order.CustomerId;

    private static ProblemHttpResult IllegalTransition(Order order, string wanted) => TypedResults.Problem(
        title: $"The order cannot be {wanted}",
        detail: order.IsSettled ? $"It is {order.Status}." : $"It is {order.Status} and busy ({order.Step}).",
        statusCode: StatusCodes.Status409Conflict,
        extensions: new Dictionary<string, object?> { ["orderStatus"] = order.Status.ToString() });
}
