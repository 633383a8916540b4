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
            await Task.Delay(TimeSpan.FromSeconds(1.5));
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
}
