using Shop.Tests.Infrastructure;
using static Shop.Tests.Infrastructure.Shopping;

namespace Shop.Tests.Faults;

/// <summary>
/// catalog-api stops while checkouts are between reserving and committing their stock, and stays down for
/// checkouts that start afterwards. Those answer 503 with Retry-After before any order exists (nothing
/// placed, reserved or charged); the ones it caught mid-way answer with their order and settle once
/// catalog-api is back.
/// </summary>
[Collection(ShopCollections.Disruptive)]
public sealed class CatalogOutageTests(ShopAppFixture fixture) : DisruptiveTest
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Checkouts_answer_503_before_any_order_while_catalog_api_is_down_and_those_it_caught_settle()
    {
        var scenario = await FaultScenario.CreateAsync(fixture, customers: 6);
        await scenario.FillCartsAsync();
        var early = scenario.Customers.Take(3).ToList();
        var late = scenario.Customers.Skip(3).ToList();

        CheckoutAnswer[] caught;
        CheckoutAnswer[] refused;
        try
        {
            // Slow charges: stock is reserved, and catalog-api is gone by the time it is to be committed.
            var burst = early.Select(customer => scenario.CheckoutOnceAsync(customer, Cards.Slow)).ToList();
            await UntilReservedAsync(scenario, early.Count * FaultScenario.Quantity);
            await fixture.StopAsync("catalog-api");

            refused = await Task.WhenAll(late.Select(customer => scenario.CheckoutOnceAsync(customer)));
            caught = await Task.WhenAll(burst);
        }
        finally
        {
            await fixture.StartAsync("catalog-api");
        }

        // The refused customers have no order (checked with the rest here) and are charged nothing.
        var orders = await scenario.AssertInvariantsAsync(Patience);
        Assert.Equal(early.Count, orders.Count);
        Assert.All(refused, answer => Assert.True(answer.Status == HttpStatusCode.ServiceUnavailable && answer.HasRetryAfter, $"checkout without catalog-api: {answer}"));
        Assert.All(caught, answer => Assert.Contains(answer.Status, new HttpStatusCode?[] { HttpStatusCode.Created, HttpStatusCode.Accepted }));
        Assert.Contains(caught, answer => answer.Status == HttpStatusCode.Accepted);
        Assert.All(orders, order => Assert.Equal("Paid", order.Status));
    }

    /// <summary>
    /// Carts are shown and changed from order-api's copies of the products while catalog-api is away: a product
    /// whose price changed before the outage (and was never in a cart, so only its event told order-api) goes in
    /// at its new price; stock figures are left out; a product order-api never heard of cannot be added; and
    /// checkout answers 503, leaving the cart as it was and no order behind.
    /// </summary>
    [Fact]
    public async Task Carts_work_from_order_apis_copies_while_catalog_api_is_down_and_checkout_changes_nothing()
    {
        var category = await fixture.CreateCategoryAsync();
        var kettle = await fixture.CreateProductAsync(category, name: "Outage kettle", price: 20m, stock: 5);
        var teapot = await fixture.CreateProductAsync(category, name: "Outage teapot", price: 8m, stock: 5);
        var customer = await fixture.SignUpAsync();
        await fixture.SetCartQuantityAsync(customer, kettle.Id, 1);
        await fixture.EditPriceAsync(teapot, 9.5m, teapot.ETag);
        await fixture.UntilCopiedAsync(teapot.Id, revision: 2);

        HttpStatusCode unknownProduct;
        CartView cart;
        RefusedCheckout checkout;
        await fixture.StopAsync("catalog-api");
        try
        {
            await fixture.SetCartQuantityAsync(customer, teapot.Id, 2);
            await fixture.SetCartQuantityAsync(customer, kettle.Id, 3);
            using (var client = fixture.CreateClient("order-api"))
            using (var unknown = await client.SendAsync(Accounts.Authorized(HttpMethod.Put, $"/api/cart/items/{Guid.NewGuid()}", customer.AccessToken, new { quantity = 1 })))
            {
                unknownProduct = unknown.StatusCode;
            }

            using (var response = await fixture.CheckoutAsync(customer))
            {
                checkout = new RefusedCheckout(response.StatusCode, response.Headers.RetryAfter is not null, await response.Content.ReadAsStringAsync());
            }

            cart = await fixture.CartAsync(customer);
        }
        finally
        {
            await fixture.StartAsync("catalog-api");
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, unknownProduct);
        Assert.True(checkout.Status == HttpStatusCode.ServiceUnavailable && checkout.HasRetryAfter, $"checkout without catalog-api: {checkout}");
        Assert.Empty(await fixture.OrdersOfAsync(customer));
        var lines = cart.Items.ToDictionary(i => i.ProductId);
        Assert.Equal((3, 20m, 60m), (lines[kettle.Id].Quantity, lines[kettle.Id].UnitPrice!.Value, lines[kettle.Id].LineTotal!.Value));
        Assert.Equal((2, 9.5m, 19m), (lines[teapot.Id].Quantity, lines[teapot.Id].UnitPrice!.Value, lines[teapot.Id].LineTotal!.Value));
        Assert.All(cart.Items, item => Assert.Null(item.Available));
        Assert.Equal((79m, false, true), (cart.Subtotal, cart.AvailabilityKnown, cart.CanCheckOut));

        // Back: the stock figures return, and the cart checks out.
        var after = await fixture.CartAsync(customer);
        Assert.True(after.AvailabilityKnown);
        Assert.All(after.Items, item => Assert.Equal<int?>(5, item.Available));
        using var placed = await fixture.CheckoutAsync(customer);
        Assert.Equal("Paid", (await placed.ReadAsAsync<OrderView>(HttpStatusCode.Created)).Status);
    }

    /// <summary>
    /// Waits until the burst's stock is reserved (its charges are then under way), however long a catalog-api
    /// that has just been restarted takes to answer its first reservations.
    /// </summary>
    private Task UntilReservedAsync(FaultScenario scenario, int units) =>
        Eventually.UntilAsync(() => fixture.StockAsync(scenario.Product.Id), stock => stock.Reserved >= units, $"the burst's {units} units reserved", TimeSpan.FromSeconds(20));

    private sealed record RefusedCheckout(HttpStatusCode Status, bool HasRetryAfter, string Body);
}
