using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Shop.ServiceDefaults.Messaging;
using Shop.OrderApi.Clients;
using Shop.OrderApi.Contracts;
using Shop.OrderApi.Infrastructure;
using Shop.OrderApi.Model;
using Shop.ServiceDefaults;

namespace Shop.OrderApi.Services;

/// <summary>
/// Turns a cart into an order and runs its saga while the customer waits. The order is written before
/// anything is reserved or charged, so from then on nothing is lost: if this request cannot finish,
/// the recovery worker will.
/// </summary>
public sealed class CheckoutService(
    OrderDbContext db, EventOutbox<OrderDbContext> outbox, ICartStore carts, CatalogClient catalog, UserClient users, CheckoutSaga saga, IOptions<OrderOptions> options,
    TimeProvider timeProvider, ILogger<CheckoutService> logger)
{
    /// <summary>The largest single charge payment-api accepts.</summary>
    public const decimal MaxOrderTotal = 1_000_000m;

    public async Task<CheckoutResult> PlaceOrderAsync(Guid customerId, string checkoutKey, CheckoutRequest request, CancellationToken cancellationToken)
    {
        // The same checkout re-executed (its first run died before answering): continue that order.
        if (await FindAsync(customerId, checkoutKey, cancellationToken) is { } existing)
        {
            return new CheckoutResult.Placed(await RunAsync(existing, request.Payment, cancellationToken));
        }

        var cart = await carts.GetAsync(customerId);
        if (cart.Count == 0)
        {
            return new CheckoutResult.Refused("Your cart is empty", "Add products to the cart before checking out.", null);
        }

        var address = await ShippingAddressAsync(request, cancellationToken);
        if (address is null)
        {
            return new CheckoutResult.Invalid(nameof(CheckoutRequest.AddressId), "This is not one of your addresses.");
        }

        var products = (await catalog.GetProductsAsync([.. cart.Keys], cancellationToken)).ToDictionary(p => p.Id);
        if (Refusal(cart, products) is { } refusal)
        {
            return refusal;
        }

        var now = timeProvider.GetUtcNow();
        var lines = cart.Select(line => new OrderLine(line.Key, products[line.Key].Sku, products[line.Key].Name, products[line.Key].Price, line.Value)).ToList();
        var order = Order.Place(customerId, checkoutKey, lines, products.Values.First().Currency, address, now, now + options.Value.SagaLease);
        return new CheckoutResult.Placed(await RunAsync(await SaveOrRaceAsync(order, cancellationToken), request.Payment, cancellationToken));
    }

    private Task<Order?> FindAsync(Guid customerId, string checkoutKey, CancellationToken cancellationToken) =>
        db.Orders.AsNoTracking().SingleOrDefaultAsync(o => o.CustomerId == customerId && o.CheckoutKey == checkoutKey, cancellationToken);

    /// <summary>The address typed into the request, or the customer's saved one it names (null when it is not theirs).</summary>
    private async Task<ShippingAddress?> ShippingAddressAsync(CheckoutRequest request, CancellationToken cancellationToken)
    {
        if (request.AddressId is not { } addressId)
        {
            return request.ShippingAddress!.ToShippingAddress();
        }

        return (await users.GetAddressAsync(addressId, cancellationToken))?.ToShippingAddress();
    }

    /// <summary>Why this cart cannot become an order at these prices, if it cannot.</summary>
    private static CheckoutResult.Refused? Refusal(IReadOnlyDictionary<Guid, int> cart, Dictionary<Guid, CatalogProduct> products)
    {
        var unavailable = cart.Keys.Where(id => !products.ContainsKey(id)).ToList();
        if (unavailable.Count > 0)
        {
            return new CheckoutResult.Refused(
                "Some products in the cart are no longer sold",
                "Remove them from the cart and check out again.",
                new Dictionary<string, object?> { ["productIds"] = unavailable });
        }

        if (cart.Sum(line => products[line.Key].Price * line.Value) > MaxOrderTotal)
        {
            return new CheckoutResult.Refused(
                "Order total too high",
                $"An order may come to at most {MaxOrderTotal:0.00}; split the cart into several orders.",
                null);
        }

        return null;
    }

    /// <summary>Writes the new order; if the same checkout key won a race to write first, that order is the one to run.</summary>
    private async Task<Order> SaveOrRaceAsync(Order order, CancellationToken cancellationToken)
    {
        db.Orders.Add(order);
        try
        {
            await outbox.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            db.ChangeTracker.Clear();
            return await FindAsync(order.CustomerId, order.CheckoutKey, cancellationToken)
                ?? throw new InvalidOperationException("The order that won the checkout key's unique index is not there.");
        }

        Log.OrderPlaced(logger, order.Id, order.CustomerId, order.Total, order.Currency);
        return order;
    }

    private async Task<Order> RunAsync(Order order, PaymentCard card, CancellationToken cancellationToken)
    {
        var ran = await saga.RunForRequestAsync(order, card);
        cancellationToken.ThrowIfCancellationRequested();
        return ran;
    }
}

/// <summary>The outcome of a checkout: an order that ran, or a refusal before any order was written.</summary>
public abstract record CheckoutResult
{
    private CheckoutResult()
    {
    }

    /// <summary>The order exists; its status says how far it got.</summary>
    public sealed record Placed(Order Order) : CheckoutResult;

    /// <summary>No order was written: the cart cannot be checked out as it is.</summary>
    public sealed record Refused(string Title, string Detail, IDictionary<string, object?>? Extensions) : CheckoutResult;

    /// <summary>No order was written: a field of the request is wrong.</summary>
    public sealed record Invalid(string Field, string Message) : CheckoutResult;
}
