using System.Net;
using Shop.WebApp.Authentication;

namespace Shop.WebApp.Clients;

/// <summary>How a checkout ended, as the checkout page tells it.</summary>
public abstract record CheckoutOutcome
{
    private CheckoutOutcome()
    {
    }

    /// <summary>Paid (201): the confirmation page.</summary>
    public sealed record Paid(Order Order) : CheckoutOutcome;

    /// <summary>Accepted (202): a service it needs is away; the order settles shortly, its page shows it happen.</summary>
    public sealed record Pending(Order Order) : CheckoutOutcome;

    /// <summary>The card was declined (402); nothing was charged.</summary>
    public sealed record Declined(Guid? OrderId, string Reason) : CheckoutOutcome;

    /// <summary>Not enough stock (409 with the order); nothing was charged.</summary>
    public sealed record OutOfStock(Guid? OrderId, string Reason) : CheckoutOutcome;

    /// <summary>
    /// The first submission under this key is still running after the wait (a slow card processor): its answer will be
    /// the order; the same key must be sent again, never a new one.
    /// </summary>
    public sealed record StillRunning : CheckoutOutcome;

    /// <summary>Refused before any order was made: invalid form (field errors) or an empty cart.</summary>
    public sealed record Refused(ApiProblem Problem) : CheckoutOutcome;
}

/// <summary>order-api: the user's cart and orders, and the administrators' shipping.</summary>
public sealed class OrderClient(HttpClient http, UserSession session, IHttpClientFactory clients, TimeProvider timeProvider) : ApiClient(http, session, "order-api")
{
    /// <summary>The HttpClient that places orders: its attempts may last as long as a payment does.</summary>
    public const string CheckoutClientName = "order-api-checkout";

    private static readonly TimeSpan InProgressWait = TimeSpan.FromSeconds(30);

    public Task<Cart> GetCartAsync(CancellationToken cancellationToken) =>
        GetAsync<Cart>("/api/cart", asUser: true, cancellationToken);

    /// <summary>
    /// Puts this many on top of what the cart holds, in one step at order-api (two tabs adding at once both count), under
    /// the key the form was rendered with (the same form sent twice adds once).
    /// </summary>
    public Task<ApiResult<Cart>> AddToCartAsync(Guid productId, int quantity, string idempotencyKey, CancellationToken cancellationToken) =>
        RequestAsync<Cart>(HttpMethod.Post, "/api/cart/items", new { productId, quantity }, asUser: true, cancellationToken,
            request => request.Headers.Add("Idempotency-Key", idempotencyKey));

    public Task<ApiResult<Cart>> SetQuantityAsync(Guid productId, int quantity, CancellationToken cancellationToken) =>
        RequestAsync<Cart>(HttpMethod.Put, $"/api/cart/items/{productId}", new { quantity }, asUser: true, cancellationToken);

    public Task<ApiOutcome> RemoveAsync(Guid productId, CancellationToken cancellationToken) =>
        CommandAsync(HttpMethod.Delete, $"/api/cart/items/{productId}", null, cancellationToken);

    /// <summary>
    /// Places the order under the key the checkout form was rendered with: a second submission of that form (a double
    /// click, a reload) gets the first one's answer and places nothing more. While the first is still running, order-api
    /// answers 409 with Retry-After; this waits for its result.
    /// </summary>
    public async Task<CheckoutOutcome> PlaceOrderAsync(string idempotencyKey, CheckoutRequest checkout, CancellationToken cancellationToken)
    {
        var deadline = timeProvider.GetUtcNow() + InProgressWait;
        while (true)
        {
            using var response = await SendAsync(HttpMethod.Post, "/api/orders", checkout, asUser: true, cancellationToken,
                request => request.Headers.Add("Idempotency-Key", idempotencyKey), clients.CreateClient(CheckoutClientName));
            if (response.StatusCode == HttpStatusCode.Conflict && response.Headers.RetryAfter is { } retryAfter)
            {
                if (timeProvider.GetUtcNow() >= deadline)
                {
                    return new CheckoutOutcome.StillRunning();
                }

                await Task.Delay(retryAfter.Delta ?? TimeSpan.FromSeconds(1), timeProvider, cancellationToken);
                continue;
            }

            if (response.StatusCode is HttpStatusCode.Created or HttpStatusCode.Accepted)
            {
                var order = await ReadAsync<Order>(response, cancellationToken) switch
                {
                    ApiResult<Order>.Ok ok => ok.Value,
                    _ => throw new InvalidOperationException("Unreadable order."),
                };
                return response.StatusCode == HttpStatusCode.Created ? new CheckoutOutcome.Paid(order) : new CheckoutOutcome.Pending(order);
            }

            var problem = await ReadProblemAsync(response, cancellationToken);
            var orderId = problem.GuidExtension("orderId");
            return response.StatusCode switch
            {
                HttpStatusCode.PaymentRequired => new CheckoutOutcome.Declined(orderId, problem.Detail ?? problem.Title),
                HttpStatusCode.Conflict when orderId is not null => new CheckoutOutcome.OutOfStock(orderId, problem.Detail ?? problem.Title),
                _ => new CheckoutOutcome.Refused(problem),
            };
        }
    }

    public Task<ApiResult<OrderPage>> ListOrdersAsync(string? cursor, CancellationToken cancellationToken) =>
        RequestAsync<OrderPage>(HttpMethod.Get, cursor is null ? "/api/orders?limit=10" : $"/api/orders?limit=10&cursor={Uri.EscapeDataString(cursor)}",
            null, asUser: true, cancellationToken);

    /// <summary>The order, when the user may see it (anyone else's is "not found", as order-api says).</summary>
    public async Task<Order?> GetOrderAsync(Guid id, CancellationToken cancellationToken) =>
        await RequestAsync<Order>(HttpMethod.Get, $"/api/orders/{id}", null, asUser: true, cancellationToken) switch
        {
            ApiResult<Order>.Ok ok => ok.Value,
            _ => null,
        };

    /// <summary>Cancels a paid order (refund and restock); refused with the reason when it is in another state.</summary>
    public Task<ApiResult<Order>> CancelAsync(Guid id, CancellationToken cancellationToken) =>
        RequestAsync<Order>(HttpMethod.Post, $"/api/orders/{id}/cancel", null, asUser: true, cancellationToken);

    // Administration.

    public Task<ApiResult<OrderPage>> ListToShipAsync(string? cursor, CancellationToken cancellationToken) =>
        RequestAsync<OrderPage>(HttpMethod.Get,
            cursor is null ? "/api/orders/to-ship?limit=20" : $"/api/orders/to-ship?limit=20&cursor={Uri.EscapeDataString(cursor)}",
            null, asUser: true, cancellationToken);

    public Task<ApiResult<Order>> ShipAsync(Guid id, CancellationToken cancellationToken) =>
        RequestAsync<Order>(HttpMethod.Post, $"/api/orders/{id}/ship", null, asUser: true, cancellationToken);
}
