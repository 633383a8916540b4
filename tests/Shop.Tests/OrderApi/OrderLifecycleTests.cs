using System.Text.Json;
using Shop.Tests.Infrastructure;
using static Shop.Tests.Infrastructure.Shopping;

namespace Shop.Tests.OrderApi;

[Collection(ShopCollection.Name)]
public sealed class OrderLifecycleTests(ShopAppFixture fixture)
{
    private async Task<(SignedInUser Customer, Guid OrderId, TestProduct Product)> PaidOrderAsync(int quantity = 2, decimal price = 30m)
    {
        var category = await fixture.CreateCategoryAsync();
        var product = await fixture.CreateProductAsync(category, price: price, stock: 10);
        var customer = await fixture.SignUpAsync();
        await fixture.AddToCartAsync(customer, product.Id, quantity);
        using var response = await fixture.CheckoutAsync(customer);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (customer, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid(), product);
    }

    [Fact]
    public async Task Cancelling_a_paid_order_refunds_it_and_restocks_and_a_second_cancel_is_409()
    {
        var (customer, orderId, product) = await PaidOrderAsync(quantity: 3);
        Assert.Equal(7, (await fixture.StockAsync(product.Id)).GetProperty("onHand").GetInt32());
        using var client = fixture.CreateClient("order-api");

        using var cancel = await client.SendAsync(Accounts.Authorized(HttpMethod.Post, $"/api/orders/{orderId}/cancel", customer.AccessToken));
        using var again = await client.SendAsync(Accounts.Authorized(HttpMethod.Post, $"/api/orders/{orderId}/cancel", customer.AccessToken));

        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        Assert.Equal("Cancelled", (await cancel.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        var payment = Assert.Single(await fixture.PaymentsOfAsync(orderId));
        Assert.Equal(90m, payment.GetProperty("refundedAmount").GetDecimal());
        var stock = await fixture.StockAsync(product.Id);
        Assert.Equal((10, 0), (stock.GetProperty("onHand").GetInt32(), stock.GetProperty("reserved").GetInt32()));
    }

    [Fact]
    public async Task Another_customers_order_is_404_for_reading_and_cancelling_but_an_admin_sees_it()
    {
        var (_, orderId, _) = await PaidOrderAsync();
        var stranger = await fixture.SignUpAsync();
        using var client = fixture.CreateClient("order-api");

        using var read = await client.SendAsync(Accounts.Authorized(HttpMethod.Get, $"/api/orders/{orderId}", stranger.AccessToken));
        using var cancel = await client.SendAsync(Accounts.Authorized(HttpMethod.Post, $"/api/orders/{orderId}/cancel", stranger.AccessToken));
        using var asAdmin = await client.SendAsync(Accounts.Authorized(HttpMethod.Get, $"/api/orders/{orderId}", await fixture.AdminTokenAsync()));

        Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, cancel.StatusCode);
        Assert.Equal(HttpStatusCode.OK, asAdmin.StatusCode);
        Assert.Equal("Paid", (await asAdmin.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.Equal("Succeeded", (await fixture.PaymentsOfAsync(orderId)).Single().GetProperty("status").GetString());
    }

    [Fact]
    public async Task An_admin_ships_a_paid_order_which_then_cannot_be_cancelled_or_shipped_again()
    {
        var (customer, orderId, _) = await PaidOrderAsync();
        using var client = fixture.CreateClient("order-api");

        using var byCustomer = await client.SendAsync(Accounts.Authorized(HttpMethod.Post, $"/api/orders/{orderId}/ship", customer.AccessToken));
        using var ship = await client.SendAsync(Accounts.Authorized(HttpMethod.Post, $"/api/orders/{orderId}/ship", await fixture.AdminTokenAsync()));
        using var shipAgain = await client.SendAsync(Accounts.Authorized(HttpMethod.Post, $"/api/orders/{orderId}/ship", await fixture.AdminTokenAsync()));
        using var cancel = await client.SendAsync(Accounts.Authorized(HttpMethod.Post, $"/api/orders/{orderId}/cancel", customer.AccessToken));

        Assert.Equal(HttpStatusCode.Forbidden, byCustomer.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ship.StatusCode);
        Assert.Equal("Shipped", (await ship.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Conflict, shipAgain.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, cancel.StatusCode);
        Assert.Equal(0m, (await fixture.PaymentsOfAsync(orderId)).Single().GetProperty("refundedAmount").GetDecimal());
    }

    [Fact]
    public async Task Orders_that_never_got_paid_cannot_be_shipped_or_cancelled()
    {
        var category = await fixture.CreateCategoryAsync();
        var product = await fixture.CreateProductAsync(category, stock: 10);
        var customer = await fixture.SignUpAsync();
        await fixture.AddToCartAsync(customer, product.Id, 1);
        using var declined = await fixture.CheckoutAsync(customer, Cards.Declined);
        var orderId = OrderIdOf(await declined.Content.ReadFromJsonAsync<JsonElement>());
        using var client = fixture.CreateClient("order-api");

        using var ship = await client.SendAsync(Accounts.Authorized(HttpMethod.Post, $"/api/orders/{orderId}/ship", await fixture.AdminTokenAsync()));
        using var cancel = await client.SendAsync(Accounts.Authorized(HttpMethod.Post, $"/api/orders/{orderId}/cancel", customer.AccessToken));

        Assert.Equal(HttpStatusCode.Conflict, ship.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, cancel.StatusCode);
    }

    [Fact]
    public async Task A_customer_pages_through_their_orders_newest_first()
    {
        var category = await fixture.CreateCategoryAsync();
        var product = await fixture.CreateProductAsync(category, stock: 20);
        var customer = await fixture.SignUpAsync();
        var placed = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            await fixture.AddToCartAsync(customer, product.Id, 1);
            using var response = await fixture.CheckoutAsync(customer);
            placed.Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid());
        }

        using var client = fixture.CreateClient("order-api");
        var seen = new List<Guid>();
        string? cursor = null;
        do
        {
            using var page = await client.SendAsync(Accounts.Authorized(HttpMethod.Get, $"/api/orders?limit=2{(cursor is null ? "" : "&cursor=" + cursor)}", customer.AccessToken));
            var body = await page.Content.ReadFromJsonAsync<JsonElement>();
            seen.AddRange(body.GetProperty("items").EnumerateArray().Select(o => o.GetProperty("id").GetGuid()));
            cursor = body.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        Assert.Equal(Enumerable.Reverse(placed), seen);
        using var forged = await client.SendAsync(Accounts.Authorized(HttpMethod.Get, "/api/orders?cursor=forged", customer.AccessToken));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
    }
}
