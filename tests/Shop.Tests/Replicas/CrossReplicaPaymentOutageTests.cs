using Shop.Tests.Infrastructure;
using static Shop.Tests.Infrastructure.Shopping;

namespace Shop.Tests.Replicas;

/// <summary>
/// payment-api's replicas go away in the middle of checkouts that order-api's replicas are driving, and
/// come back while others are under way. However far each checkout got, and whichever replica was driving
/// it or charging it, every order settles once: Paid with exactly one captured payment, or PaymentFailed
/// with none, and the stock matches. (All of payment-api down at once: OrderApi/PaymentOutageTests.)
/// </summary>
[Collection(ReplicaCollection.Name)]
public sealed class CrossReplicaPaymentOutageTests(ReplicaAppFixture fixture)
{
    private const int Units = 2;

    [Fact]
    public async Task Every_order_settles_once_when_payment_api_replicas_stop_mid_checkout_and_start_again_under_load()
    {
        var category = await fixture.CreateCategoryAsync();
        var product = await fixture.CreateProductAsync(category, price: 15m, stock: 100);
        var customers = await Task.WhenAll(Enumerable.Range(0, 9).Select(_ => fixture.SignUpAsync()));
        await Task.WhenAll(customers.Select(customer => fixture.AddToCartAsync(customer, product.Id, Units)));
        var paymentReplicas = fixture.ReplicasOf("payment-api").Order().ToList();
        var stoppedReplicas = paymentReplicas[..2];

        // Every replica up: paid.
        var before = await Task.WhenAll(customers[..3].Select(customer => CheckoutAsync(customer, Cards.Succeeds)));

        // Slow charges in flight, then two of the three replicas stop under them: whichever replica held a
        // charge, the order finds out later what became of it.
        var inFlight = customers[3..6].Select(customer => CheckoutAsync(customer, Cards.Slow)).ToList();
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        await Task.WhenAll(stoppedReplicas.Select(async replica =>
        {
            var stopped = await fixture.App.ResourceCommands.ExecuteCommandAsync(replica, KnownResourceCommands.StopCommand);
            Assert.True(stopped.Success, $"{replica} did not stop: {stopped.Message}");
        }));

        // One replica left, and the two stopped ones starting again while these checkouts run.
        var meanwhile = customers[6..].Select(customer => CheckoutAsync(customer, Cards.Succeeds)).ToList();
        await Task.WhenAll(stoppedReplicas.Select(async replica =>
        {
            var started = await fixture.App.ResourceCommands.ExecuteCommandAsync(replica, KnownResourceCommands.StartCommand);
            Assert.True(started.Success, $"{replica} did not start: {started.Message}");
        }));
        var checkouts = before.Concat(await Task.WhenAll(inFlight)).Concat(await Task.WhenAll(meanwhile)).ToList();

        using (var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3)))
        {
            await fixture.UntilEveryReplicaAnswersAsync("payment-api", timeout.Token);
        }

        fixture.AssertSpreadOverReplicas("order-api", checkouts.Select(c => c.AnsweredBy));
        var paidUnits = 0;
        var statuses = new List<string?>();
        foreach (var checkout in checkouts)
        {
            var order = await fixture.SettledOrderAsync(checkout.Customer, checkout.OrderId, TimeSpan.FromMinutes(2));
            Assert.Contains(order.Status, new[] { "Paid", "PaymentFailed" });
            statuses.Add(order.Status);
            var bought = order.Status == "Paid";
            paidUnits += bought ? Units : 0;

            var captured = (await fixture.PaymentsOfAsync(checkout.OrderId)).Where(p => p.Status == "Succeeded").Select(p => p.Amount);
            Assert.Equal(bought ? [order.Total] : [], captured);
            var cart = await fixture.CartAsync(checkout.Customer);
            Assert.Equal(bought ? [] : [(product.Id, Units)], cart.Items.Select(i => (i.ProductId, i.Quantity)));
        }

        Assert.All(statuses[..3], status => Assert.Equal("Paid", status));
        Assert.Equal(new StockView(product.Id, OnHand: 100 - paidUnits, Reserved: 0, Available: 100 - paidUnits), await fixture.StockAsync(product.Id));
    }

    private async Task<Checkout> CheckoutAsync(SignedInUser customer, string card)
    {
        using var response = await fixture.CheckoutAsync(customer, card);
        Assert.Contains(response.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.Accepted, HttpStatusCode.PaymentRequired });
        return new Checkout(customer, await OrderIdOfAsync(response), ReplicaAppFixture.InstanceOf(response));
    }

    private sealed record Checkout(SignedInUser Customer, Guid OrderId, string AnsweredBy);
}
