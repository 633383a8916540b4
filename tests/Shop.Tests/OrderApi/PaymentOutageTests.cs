using Shop.Tests.Infrastructure;
using static Shop.Tests.Infrastructure.Shopping;

namespace Shop.Tests.OrderApi;

/// <summary>
/// payment-api goes away in the middle of checkouts and comes back. However far each checkout got,
/// every order must settle as Paid or PaymentFailed, with exactly one captured payment per paid order,
/// none for the others, and stock that matches: nothing reserved, on hand down by what was paid for.
/// </summary>
[Collection(ShopCollections.Disruptive)]
public sealed class PaymentOutageTests(ShopAppFixture fixture) : DisruptiveTest
{
    [Fact]
    public async Task Every_order_settles_consistently_when_payment_api_stops_mid_checkout_and_returns()
    {
        var category = await fixture.CreateCategoryAsync();
        var product = await fixture.CreateProductAsync(category, price: 15m, stock: 100);
        var customers = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => fixture.SignUpAsync()));
        foreach (var customer in customers)
        {
            await fixture.SetCartQuantityAsync(customer, product.Id, 2);
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
            Assert.False(order.InProgress, $"order {orderId} is still {order.Status}: {order}");
            Assert.Contains(order.Status, new[] { "Paid", "PaymentFailed" });
            statuses.Add(order.Status);
            var bought = order.Status == "Paid";
            paidUnits += bought ? 2 : 0;

            // Bought: one captured payment for the total, and out of the cart, whoever finished the order.
            // Not bought: nothing captured, and still in the cart, to try again.
            var captured = (await fixture.PaymentsOfAsync(orderId)).Where(p => p.Status == "Succeeded").Select(p => p.Amount);
            Assert.Equal(bought ? [order.Total] : [], captured);
            var cart = await fixture.CartAsync(customer);
            Assert.Equal(bought ? [] : [(product.Id, 2)], cart.Items.Select(i => (i.ProductId, i.Quantity)));
        }

        // Paid before the outage stays paid; a checkout that could not reach payment-api is not charged
        // later (nobody keeps the card to try again), and its stock is given back.
        Assert.All(statuses[..3], status => Assert.Equal("Paid", status));
        Assert.All(statuses[6..], status => Assert.Equal("PaymentFailed", status));
        Assert.Equal(new StockView(product.Id, OnHand: 100 - paidUnits, Reserved: 0, Available: 100 - paidUnits), await fixture.StockAsync(product.Id));
    }

    private async Task<(SignedInUser Customer, Guid OrderId)> CheckoutAsync(SignedInUser customer, string card)
    {
        using var response = await fixture.CheckoutAsync(customer, card);
        Assert.Contains(response.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.Accepted, HttpStatusCode.PaymentRequired });
        return (customer, await OrderIdOfAsync(response));
    }
}
