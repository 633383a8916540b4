using Shop.Tests.Infrastructure;
using static Shop.Tests.Infrastructure.Shopping;

namespace Shop.Tests.OrderApi;

[Collection(ShopCollections.Orders)]
public sealed class OrderLifecycleTests(ShopAppFixture fixture) : SharedSystemTest
{
    private async Task<(SignedInUser Customer, Guid OrderId, TestProduct Product)> PaidOrderAsync(int quantity = 2, decimal price = 30m)
    {
        var category = await fixture.CreateCategoryAsync();
        var product = await fixture.CreateProductAsync(category, price: price, stock: 10);
        var customer = await fixture.SignUpAsync();
        await fixture.SetCartQuantityAsync(customer, product.Id, quantity);
        using var response = await fixture.CheckoutAsync(customer);
        return (customer, (await response.ReadAsAsync<OrderView>(HttpStatusCode.Created)).Id, product);
    }

    [Fact]
    public async Task Cancelling_a_paid_order_refunds_it_and_restocks_and_a_second_cancel_is_409()
    {
        var (customer, orderId, product) = await PaidOrderAsync(quantity: 3);
        Assert.Equal(7, (await fixture.StockAsync(product.Id)).OnHand);
        using var client = fixture.CreateClient("order-api");

        using var cancel = await client.SendAsync(Accounts.Authorized(HttpMethod.Post, $"/api/orders/{orderId}/cancel", customer.AccessToken));
        using var again = await client.SendAsync(Accounts.Authorized(HttpMethod.Post, $"/api/orders/{orderId}/cancel", customer.AccessToken));

        var cancelled = await cancel.ReadAsAsync<OrderView>();
        Assert.Equal((orderId, "Cancelled"), (cancelled.Id, cancelled.Status));
        Assert.NotNull(cancelled.CancelledAt);
        await again.ReadProblemAsync(HttpStatusCode.Conflict);
        var payment = Assert.Single(await fixture.PaymentsOfAsync(orderId));
        Assert.Equal(90m, payment.RefundedAmount);
        Assert.Equal(new StockView(product.Id, OnHand: 10, Reserved: 0, Available: 10), await fixture.StockAsync(product.Id));
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
        var seenByAdmin = await asAdmin.ReadAsAsync<OrderView>();
        Assert.Equal((orderId, "Paid"), (seenByAdmin.Id, seenByAdmin.Status));
        Assert.Equal("Succeeded", Assert.Single(await fixture.PaymentsOfAsync(orderId)).Status);
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
        var shipped = await ship.ReadAsAsync<OrderView>();
        Assert.Equal("Shipped", shipped.Status);
        Assert.NotNull(shipped.ShippedAt);
        await shipAgain.ReadProblemAsync(HttpStatusCode.Conflict);
        await cancel.ReadProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(0m, Assert.Single(await fixture.PaymentsOfAsync(orderId)).RefundedAmount);
    }

    [Fact]
    public async Task Orders_that_never_got_paid_cannot_be_shipped_or_cancelled()
    {
        var category = await fixture.CreateCategoryAsync();
        var product = await fixture.CreateProductAsync(category, stock: 10);
        var customer = await fixture.SignUpAsync();
        await fixture.SetCartQuantityAsync(customer, product.Id, 1);
        using var declined = await fixture.CheckoutAsync(customer, Cards.Declined);
        var orderId = Assert.NotNull((await declined.ReadProblemAsync(HttpStatusCode.PaymentRequired)).OrderId);
        using var client = fixture.CreateClient("order-api");

        using var ship = await client.SendAsync(Accounts.Authorized(HttpMethod.Post, $"/api/orders/{orderId}/ship", await fixture.AdminTokenAsync()));
        using var cancel = await client.SendAsync(Accounts.Authorized(HttpMethod.Post, $"/api/orders/{orderId}/cancel", customer.AccessToken));

        await ship.ReadProblemAsync(HttpStatusCode.Conflict);
        await cancel.ReadProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("PaymentFailed", (await fixture.OrderAsync(customer, orderId)).Status);
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
            await fixture.SetCartQuantityAsync(customer, product.Id, 1);
            using var response = await fixture.CheckoutAsync(customer);
            placed.Add((await response.ReadAsAsync<OrderView>(HttpStatusCode.Created)).Id);
        }

        using var client = fixture.CreateClient("order-api");
        var seen = new List<Guid>();
        string? cursor = null;
        do
        {
            using var page = await client.SendAsync(Accounts.Authorized(HttpMethod.Get, $"/api/orders?limit=2{(cursor is null ? "" : "&cursor=" + cursor)}", customer.AccessToken));
            var body = await page.ReadAsAsync<OrderPageView>();
            seen.AddRange(body.Items.Select(o => o.Id));
            cursor = body.NextCursor;
        }
        while (cursor is not null);

        Assert.Equal(Enumerable.Reverse(placed), seen);
        using var forged = await client.SendAsync(Accounts.Authorized(HttpMethod.Get, "/api/orders?cursor=forged", customer.AccessToken));
        Assert.Equal(["cursor"], (await forged.ReadProblemAsync(HttpStatusCode.BadRequest)).ErrorFields);
    }
}
