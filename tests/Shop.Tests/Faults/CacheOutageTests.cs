using Shop.Tests.Infrastructure;
using static Shop.Tests.Infrastructure.Shopping;

namespace Shop.Tests.Faults;

/// <summary>
/// Redis (the carts) stops while checkouts are under way and customers edit their carts. Cart calls answer
/// 503 with Retry-After and a checkout that cannot read the cart places nothing; orders already placed
/// settle and their checkouts answer with the order, whatever cleaning the cart meets; once Redis is back
/// carts work again and a paid order's units are out of its cart.
/// </summary>
[Collection(ShopCollections.Disruptive)]
public sealed class CacheOutageTests(ShopAppFixture fixture) : DisruptiveTest
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Cart_calls_answer_503_and_placed_orders_settle_while_redis_is_down()
    {
        var scenario = await FaultScenario.CreateAsync(fixture, customers: 8);
        await scenario.FillCartsAsync();
        var buyers = scenario.Customers.Take(4).ToList();
        var editors = scenario.Customers.Skip(4).Take(2).ToList();
        var lateBuyers = scenario.Customers.Skip(6).ToList();

        CartAnswer[] cartCalls;
        CheckoutAnswer[] placed;
        CheckoutAnswer[] late;
        try
        {
            // Slow charges: these orders reach Paid, and clean their carts, after Redis is gone.
            var burst = buyers.Select(customer => scenario.CheckoutOnceAsync(customer, Cards.Slow)).ToList();
            await Task.Delay(TimeSpan.FromSeconds(1));
            await fixture.StopAsync("cache");

            var edits = Task.WhenAll(editors.SelectMany(editor => new[]
            {
                CartCallAsync(editor, HttpMethod.Get, "/api/cart"),
                CartCallAsync(editor, HttpMethod.Put, $"/api/cart/items/{scenario.Product.Id}", new { quantity = 3 }),
                CartCallAsync(editor, HttpMethod.Delete, $"/api/cart/items/{scenario.Product.Id}"),
            }));
            late = await Task.WhenAll(lateBuyers.Select(customer => scenario.CheckoutOnceAsync(customer)));
            cartCalls = await edits;
            placed = await Task.WhenAll(burst);
        }
        finally
        {
            await fixture.StartAsync("cache");
        }

        // Nothing was lost or doubled, every order settled; the late checkouts placed nothing.
        var orders = await scenario.AssertInvariantsAsync(Patience);
        Assert.Equal(buyers.Count, orders.Count);
        Assert.All(orders, order => Assert.Equal("Paid", order.Status));
        Assert.All(placed, answer => Assert.Contains(answer.Status, new HttpStatusCode?[] { HttpStatusCode.Created, HttpStatusCode.Accepted }));

        // Back: carts answer again, and the paid orders' units are out of their carts (eventually).
        foreach (var editor in editors)
        {
            Assert.Equal(HttpStatusCode.OK, (await EventualCartAsync(editor, _ => true)).Status);
        }

        foreach (var buyer in buyers)
        {
            var cart = await EventualCartAsync(buyer, cart => cart.Items.All(i => i.ProductId != scenario.Product.Id));
            Assert.Equal(HttpStatusCode.OK, cart.Status);
            Assert.DoesNotContain(cart.Items, item => item.ProductId == scenario.Product.Id);
        }

        // What the customers were told while Redis was down: try again shortly, never a server error.
        Assert.All(late, answer => Assert.True(answer.Status == HttpStatusCode.ServiceUnavailable && answer.HasRetryAfter, $"checkout without Redis: {answer}"));
        Assert.All(cartCalls, call => Assert.True(call.Status == HttpStatusCode.ServiceUnavailable && call.HasRetryAfter, $"cart call without Redis: {call}"));
    }

    /// <summary>The cart once it answers 200 and satisfies <paramref name="wanted"/>, or as it last was after 20 s.</summary>
    private async Task<CartRead> EventualCartAsync(SignedInUser customer, Func<CartRead, bool> wanted)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            using var client = fixture.CreateClient("order-api");
            using var response = await client.SendAsync(Accounts.Authorized(HttpMethod.Get, "/api/cart", customer.AccessToken));
            var cart = new CartRead(
                response.StatusCode,
                response.StatusCode == HttpStatusCode.OK ? (await response.Content.ReadFromJsonAsync<CartView>())!.Items : []);
            if ((cart.Status == HttpStatusCode.OK && wanted(cart)) || DateTime.UtcNow > deadline)
            {
                return cart;
            }

            await Task.Delay(500);
        }
    }

    private async Task<CartAnswer> CartCallAsync(SignedInUser customer, HttpMethod method, string path, object? body = null)
    {
        using var client = fixture.CreateClient("order-api");
        using var response = await client.SendAsync(Accounts.Authorized(method, path, customer.AccessToken, body));
        return new CartAnswer($"{method} {path}", response.StatusCode, response.Headers.RetryAfter is not null, await response.Content.ReadAsStringAsync());
    }

    private sealed record CartAnswer(string Call, HttpStatusCode Status, bool HasRetryAfter, string Body);

    private sealed record CartRead(HttpStatusCode Status, IReadOnlyList<CartItemView> Items);
}
