using Shop.Tests.Infrastructure;
using static Shop.Tests.Infrastructure.Shopping;

namespace Shop.Tests.Faults;

/// <summary>
/// order-api's process is killed (SIGKILL) while a burst of checkouts runs through it, some at the
/// reservation, some waiting on a slow charge. The orchestrator does not bring it back by itself, so it is
/// started again, and every client whose request was cut off asks again with its key. Each checkout ends
/// as one settled order, charged at most once.
/// </summary>
[Collection(ShopCollections.Disruptive)]
public sealed class OrderApiCrashTests(ShopAppFixture fixture) : DisruptiveTest
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Every_checkout_settles_once_when_order_api_is_killed_mid_burst_and_restarted()
    {
        var scenario = await FaultScenario.CreateAsync(fixture, customers: 8);
        await scenario.FillCartsAsync();

        // Half pay with the slow card, so the kill finds charges in flight at payment-api.
        var burst = scenario.Customers
            .Select((customer, i) => scenario.CheckoutOnceAsync(customer, i % 2 == 0 ? Cards.Slow : Cards.Succeeds))
            .ToList();
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        await fixture.KillAsync("order-api");
        var first = await Task.WhenAll(burst);
        Assert.Contains(first, answer => answer.Status is null);

        await fixture.StartAsync("order-api");
        await Task.WhenAll(first.Where(answer => answer.AsksToRetry)
            .Select(cutOff => scenario.CheckoutUntilAnsweredAsync(cutOff.Customer, cutOff.Card, Patience)));

        var orders = await scenario.AssertInvariantsAsync(Patience);
        Assert.Equal(scenario.Customers.Count, orders.Count);
        Assert.DoesNotContain(scenario.Answers, answer => answer.Status == HttpStatusCode.InternalServerError);
    }
}
