using Shop.Tests.Infrastructure;
using static Shop.Tests.Infrastructure.Shopping;

namespace Shop.Tests.Faults;

/// <summary>
/// Postgres (every service's database) stops in the middle of a burst of checkouts and starts again.
/// A checkout the outage catches answers 503 with Retry-After, never 500, and the client that asks again
/// with its key afterwards gets one order; every order settles, with stock and payments consistent.
/// </summary>
[Collection(ShopCollections.Disruptive)]
public sealed class DatabaseCheckoutOutageTests(ShopAppFixture fixture) : DisruptiveTest
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Checkouts_caught_by_a_database_outage_settle_once_after_it()
    {
        var scenario = await FaultScenario.CreateAsync(fixture, customers: 8);
        await scenario.FillCartsAsync();
        var early = scenario.Customers.Take(4).ToList();
        var late = scenario.Customers.Skip(4).ToList();

        // In flight when the database goes: these are answered once it is back (the service keeps retrying
        // its connection meanwhile), so the database is started again without waiting for them.
        var burst = Task.WhenAll(early.Select((customer, i) => scenario.CheckoutOnceAsync(customer, i % 2 == 0 ? Cards.Slow : Cards.Succeeds)));
        CheckoutAnswer[] during;
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            await fixture.StopAsync("postgres");

            // Checkouts that start while the database is down: told within seconds to come back later, not held.
            during = await Task.WhenAll(late.Select(customer => scenario.CheckoutOnceAsync(customer, timeout: TimeSpan.FromSeconds(20))));
        }
        finally
        {
            await fixture.StartAsync("postgres");

            // Connections this test process pooled before the restart are dead now.
            Npgsql.NpgsqlConnection.ClearAllPools();
        }

        List<CheckoutAnswer> first = [.. await burst, .. during];
        await Task.WhenAll(first.Where(answer => answer.AsksToRetry)
            .Select(unanswered => scenario.CheckoutUntilAnsweredAsync(unanswered.Customer, unanswered.Card, Patience)));

        var orders = await scenario.AssertInvariantsAsync(Patience);
        Assert.Equal(scenario.Customers.Count, orders.Count);
        Assert.All(during, answer => Assert.True(
            answer.Status == HttpStatusCode.ServiceUnavailable && answer.HasRetryAfter, $"a checkout started during the outage: {answer}"));
        Assert.DoesNotContain(scenario.Answers, answer => answer.Status == HttpStatusCode.InternalServerError);
    }
}
