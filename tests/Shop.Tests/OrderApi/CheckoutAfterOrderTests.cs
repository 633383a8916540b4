using System.Text.Json;
using Shop.Tests.Infrastructure;
using static Shop.Tests.Infrastructure.Shopping;

namespace Shop.Tests.OrderApi;

/// <summary>Once an order exists, whatever fails after it is the system's problem, never a 500 to the customer.</summary>
[Collection(ShopCollections.Disruptive)]
public sealed class CheckoutAfterOrderTests(ShopAppFixture fixture) : DisruptiveTest
{
    [Fact]
    public async Task A_cart_store_timing_out_after_the_charge_still_answers_paid_and_the_cart_is_emptied_later()
    {
        var category = await fixture.CreateCategoryAsync();
        var product = await fixture.CreateProductAsync(category, stock: 5);
        var customer = await fixture.SignUpAsync();
        await fixture.SetCartQuantityAsync(customer, product.Id, 2);

        // The slow card keeps the checkout busy at payment-api for seconds. Meanwhile Redis stops answering
        // writes until the checkout has answered, so taking the bought products out of the cart (a script,
        // hence a write) times out after the order is already paid.
        var checkout = fixture.CheckoutAsync(customer, Cards.Slow);
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        OrderView order;
        try
        {
            Assert.Equal("+OK", await fixture.RedisAsync("CLIENT", "PAUSE", "60000", "WRITE"));
            using var response = await checkout;

            order = await response.ReadAsAsync<OrderView>(HttpStatusCode.Created);
            Assert.Equal("Paid", order.Status);
        }
        finally
        {
            await fixture.RedisAsync("CLIENT", "UNPAUSE");
        }

        // Redis answers again; the recovery worker then finishes the cleanup.
        var cart = await fixture.CartAsync(customer);
        for (var attempt = 0; attempt < 120 && cart.Items.Count > 0; attempt++)
        {
            await Task.Delay(250);
            cart = await fixture.CartAsync(customer);
        }

        Assert.Empty(cart.Items);
        Assert.Equal("Paid", (await fixture.OrderAsync(customer, order.Id)).Status);
        Assert.Equal(new StockView(product.Id, OnHand: 3, Reserved: 0, Available: 3), await fixture.StockAsync(product.Id));
    }

    [Fact]
    public async Task A_declined_checkout_names_the_order_state_apart_from_the_http_status()
    {
        var category = await fixture.CreateCategoryAsync();
        var product = await fixture.CreateProductAsync(category);
        var customer = await fixture.SignUpAsync();
        await fixture.SetCartQuantityAsync(customer, product.Id, 1);

        using var response = await fixture.CheckoutAsync(customer, Cards.Declined);

        await response.ReadProblemAsync(HttpStatusCode.PaymentRequired);
        // The exact shape is the point here, so the members are read from the raw JSON.
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var members = body.RootElement.EnumerateObject().ToList();
        // RFC 9457: "status" is the HTTP status, a number, and appears once.
        var status = Assert.Single(members, m => m.Name == "status");
        Assert.Equal(402, status.Value.GetInt32());
        Assert.Equal("PaymentFailed", Assert.Single(members, m => m.Name == "orderStatus").Value.GetString());
        Assert.Equal(members.Count, members.Select(m => m.Name).Distinct().Count());
    }
}
