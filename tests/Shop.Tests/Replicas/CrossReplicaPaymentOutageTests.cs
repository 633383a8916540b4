using Shop.Tests.Infrastructure;
using static Shop.Tests.Infrastructure.Shopping;

namespace Shop.Tests.Replicas;

/// <summary>
/// payment-api's replicas go away in the middle of checkouts that order-api's replicas are driving, and
/// come back while others are under way. Two of the three are stopped as a scale-in stops them (gracefully)
/// while slow charges are being processed, checkouts continue on the one left, and the two start again
/// under those checkouts. However far each checkout got, and whichever replica was driving it or
/// charging it, every order settles once: Paid with exactly one captured payment, or PaymentFailed with
/// none, and carts and stock agree. (All of payment-api down at once: OrderApi/PaymentOutageTests.)
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
        await Task.WhenAll(customers.Select(customer => fixture.SetCartQuantityAsync(customer, product.Id, Units)));
        var stoppedReplicas = fixture.ReplicasOf("payment-api").Order().Take(2).ToList();

        // Every replica up: paid.
        var before = await Task.WhenAll(customers[..3].Select(customer => CheckoutAsync(customer, Cards.Succeeds)));

        List<Task<Checkout>> inFlight, meanwhile;
        try
        {
            // Slow charges (five seconds at the processor), then two of the three replicas stop once payment-api
            // is processing them: whichever replica held one, its order finds out later what became of it.
            inFlight = customers[3..6].Select(customer => CheckoutAsync(customer, Cards.Slow)).ToList();
            Assert.True(await UntilAChargeIsProcessingAsync(customers[3..6]), "No slow charge reached payment-api within 4 s.");
            await Task.WhenAll(stoppedReplicas.Select(StopAsync));

            // One replica left, and the two stopped ones starting again while these checkouts run.
            meanwhile = customers[6..].Select(customer => CheckoutAsync(customer, Cards.Succeeds)).ToList();
        }
        finally
        {
            // Started again whatever happened above: the replica collection's other tests need them.
            await Task.WhenAll(stoppedReplicas.Select(async replica =>
            {
                var started = await fixture.App.ResourceCommands.ExecuteCommandAsync(replica, KnownResourceCommands.StartCommand);
                Assert.True(started.Success, $"{replica} did not start: {started.Message}");
            }));
        }

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

            // A paid order's cart is cleaned after it is recorded Paid (by the recovery worker when the order
            // was settled there), so it is waited for; an unpaid one keeps its items.
            Assert.Equal(bought ? [] : [(product.Id, Units)], await CartSoonAsync(checkout.Customer, expectEmpty: bought));
        }

        Assert.All(statuses[..3], status => Assert.Equal("Paid", status));
        Assert.Equal(new StockView(product.Id, OnHand: 100 - paidUnits, Reserved: 0, Available: 100 - paidUnits), await fixture.StockAsync(product.Id));
    }

    /// <summary>True once payment-api holds a Processing payment for an order of one of these customers.</summary>
    private async Task<bool> UntilAChargeIsProcessingAsync(IEnumerable<SignedInUser> customers)
    {
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(4);
        while (DateTimeOffset.UtcNow < deadline)
        {
            foreach (var customer in customers)
            {
                foreach (var order in await fixture.OrdersOfAsync(customer))
                {
                    if ((await fixture.PaymentsOfAsync(order.Id)).Any(p => p.Status == "Processing"))
                    {
                        return true;
                    }
                }
            }

            await Task.Delay(100);
        }

        return false;
    }

    /// <summary>Stops a replica and waits until its process is gone.</summary>
    private async Task StopAsync(string replica)
    {
        var stopped = await fixture.App.ResourceCommands.ExecuteCommandAsync(replica, KnownResourceCommands.StopCommand);
        Assert.True(stopped.Success, $"{replica} did not stop: {stopped.Message}");
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await foreach (var resourceEvent in fixture.App.ResourceNotifications.WatchAsync(timeout.Token))
        {
            if (resourceEvent.ResourceId == replica && resourceEvent.Snapshot.State?.Text is { } state && KnownResourceStates.TerminalStates.Contains(state))
            {
                return;
            }
        }
    }

    private async Task<IReadOnlyList<(Guid, int)>> CartSoonAsync(SignedInUser customer, bool expectEmpty)
    {
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var items = (await fixture.CartAsync(customer)).Items.Select(i => (i.ProductId, i.Quantity)).ToList();
            if (!expectEmpty || items.Count == 0 || DateTimeOffset.UtcNow > deadline)
            {
                return items;
            }

            await Task.Delay(250);
        }
    }

    private async Task<Checkout> CheckoutAsync(SignedInUser customer, string card)
    {
        using var response = await fixture.CheckoutAsync(customer, card);
        Assert.Contains(response.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.Accepted, HttpStatusCode.PaymentRequired });
        return new Checkout(customer, await OrderIdOfAsync(response), ReplicaAppFixture.InstanceOf(response));
    }

    private sealed record Checkout(SignedInUser Customer, Guid OrderId, string AnsweredBy);
}
