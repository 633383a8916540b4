using System.Text.Json;
using Shop.Tests.Infrastructure;
using static Shop.Tests.Infrastructure.Shopping;

namespace Shop.Tests.OrderApi;

/// <summary>
/// payment-api goes away in the middle of checkouts and comes back. However far each checkout got,
/// every order must settle as Paid or PaymentFailed, with exactly one captured payment per paid order,
/// none for the others, and stock that matches: nothing reserved, on hand down by what was paid for.
/// </summary>
[Collection(ShopCollection.Name)]
public sealed class PaymentOutageTests(ShopAppFixture fixture)
{
    [Fact]
    public async Task Every_order_settles_consistently_when_payment_api_stops_mid_checkout_and_returns()
    {
        var category = await fixture.CreateCategoryAsync();
        var product = await fixture.CreateProductAsync(category, price: 15m, stock: 100);
        var customers = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => fixture.SignUpAsync()));
        foreach (var customer in customers)
        {
            await fixture.AddToCartAsync(customer, product.Id, 2);
        }

        var paymentApi = fixture.Resource("payment-api");

        // Before the outage: paid.
        var before = new List<(SignedInUser, Guid)>();
        foreach (var customer in customers[..3])
        {
            before.Add(await CheckoutAsync(customer, Cards.Succeeds));
        }

        // During the stop: slow charges in flight.
        var inFlight = customers[3..6].Select(customer => CheckoutAsync(customer, Cards.Slow)).ToList();
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var stopped = await fixture.App.ResourceCommands.ExecuteCommandAsync(paymentApi, KnownResourceCommands.StopCommand);
        Assert.True(stopped.Success, stopped.Message);

        // While it is down: stock is reserved, then the charge cannot be made; the request answers 202.
        var during = await Task.WhenAll(customers[6..].Select(customer => CheckoutAsync(customer, Cards.Succeeds)));
        var outcomes = before.Concat(await Task.WhenAll(inFlight)).Concat(during).ToList();

        var started = await fixture.App.ResourceCommands.ExecuteCommandAsync(paymentApi, KnownResourceCommands.StartCommand);
        Assert.True(started.Success, started.Message);
        using (var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2)))
        {
            await fixture.WaitUntilHealthyAsync(["payment-api"], timeout.Token);
        }

        var paidUnits = 0;
        var statuses = new List<string?>();
        foreach (var (customer, orderId) in outcomes)
        {
            var order = await fixture.SettledOrderAsync(customer, orderId, TimeSpan.FromMinutes(2));
            var status = order.GetProperty("status").GetString();
            Assert.False(order.GetProperty("inProgress").GetBoolean(), $"order {orderId} is still {status}: {order}");
            Assert.Contains(status, new[] { "Paid", "PaymentFailed" });
            statuses.Add(status);

            var captured = (await fixture.PaymentsOfAsync(orderId)).Where(p => p.GetProperty("status").GetString() == "Succeeded").ToList();
            var cart = await CartAsync(customer);
            if (status == "Paid")
            {
                var payment = Assert.Single(captured);
                Assert.Equal(order.GetProperty("total").GetDecimal(), payment.GetProperty("amount").GetDecimal());
                paidUnits += 2;
                // Bought, whoever finished the order: out of the cart.
                Assert.Empty(cart.GetProperty("items").EnumerateArray());
            }
            else
            {
                Assert.Empty(captured);
                // Not bought: still in the cart, to try again.
                Assert.Equal(2, cart.GetProperty("items")[0].GetProperty("quantity").GetInt32());
            }
        }

        // Paid before the outage stays paid; a checkout that could not reach payment-api is not charged
        // later (nobody keeps the card to try again), and its stock is given back.
        Assert.All(statuses[..3], status => Assert.Equal("Paid", status));
        Assert.All(statuses[6..], status => Assert.Equal("PaymentFailed", status));
        var stock = await fixture.StockAsync(product.Id);
        Assert.Equal(0, stock.GetProperty("reserved").GetInt32());
        Assert.Equal(100 - paidUnits, stock.GetProperty("onHand").GetInt32());
    }

    private async Task<JsonElement> CartAsync(SignedInUser customer)
    {
        using var client = fixture.CreateClient("order-api");
        using var response = await client.SendAsync(Accounts.Authorized(HttpMethod.Get, "/api/cart", customer.AccessToken));
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private async Task<(SignedInUser Customer, Guid OrderId)> CheckoutAsync(SignedInUser customer, string card)
    {
        using var response = await fixture.CheckoutAsync(customer, card);
        Assert.Contains(response.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.Accepted, HttpStatusCode.PaymentRequired });
        return (customer, OrderIdOf(await response.Content.ReadFromJsonAsync<JsonElement>()));
    }
}
