using Microsoft.Extensions.DependencyInjection;
using Shop.Tests.Infrastructure;
using static Shop.Tests.Infrastructure.Shopping;

namespace Shop.Tests.Faults;

/// <summary>
/// order-api restarted with chaos in its calls to other services (Resilience:Chaos: 10 % of attempts fail
/// as a dropped connection would, every attempt 20 ms late), as an operator would configure it. Checkouts
/// through it still end as one settled order each, never a 500, with stock and payments consistent. The
/// service is restarted without chaos afterwards, for the tests that follow.
/// </summary>
[Collection(ShopCollections.Disruptive)]
public sealed class ChaosTests(ShopAppFixture fixture) : DisruptiveTest
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Checkouts_stay_consistent_under_injected_faults_and_latency_between_services()
    {
        var chaosInjected = 0;
        using var stopWatching = new CancellationTokenSource();
        var scenario = FaultScenario.CreateAsync(fixture, customers: 8);
        try
        {
            fixture.SetExtraEnvironment("order-api", new Dictionary<string, string>
            {
                ["Resilience__Chaos__FaultRate"] = "0.1",
                ["Resilience__Chaos__LatencyRate"] = "1",
                ["Resilience__Chaos__Latency"] = "00:00:00.020",
            });
            await fixture.RestartAsync("order-api");
            var watching = CountLogLinesAsync("order-api", "Chaos.OnFault", () => Interlocked.Increment(ref chaosInjected), stopWatching.Token);

            var shop = await scenario;
            await shop.FillCartsAsync();
            var answers = new List<CheckoutAnswer>();
            foreach (var batch in shop.Customers.Chunk(4))
            {
                answers.AddRange(await Task.WhenAll(batch.Select(customer => shop.CheckoutUntilAnsweredAsync(customer, Cards.Succeeds, Patience))));
            }

            var orders = await shop.AssertInvariantsAsync(Patience);
            Assert.Equal(shop.Customers.Count, orders.Count);
            Assert.All(orders, order => Assert.Equal("Paid", order.Status));
            Assert.DoesNotContain(shop.Answers, answer => answer.Status == HttpStatusCode.InternalServerError);

            // The faults were really there: order-api's log reports each one it injected.
            await stopWatching.CancelAsync();
            await watching;
            Assert.True(chaosInjected > 0, "no fault was injected");
        }
        finally
        {
            await stopWatching.CancelAsync();
            fixture.SetExtraEnvironment("order-api", new Dictionary<string, string>());
            await fixture.RestartAsync("order-api");
        }
    }

    private async Task CountLogLinesAsync(string resourceName, string text, Action onLine, CancellationToken cancellationToken)
    {
        var logs = fixture.App.Services.GetRequiredService<ResourceLoggerService>();
        try
        {
            await foreach (var batch in logs.WatchAsync(fixture.Resource(resourceName)).WithCancellation(cancellationToken))
            {
                foreach (var line in batch.Where(line => line.Content.Contains(text, StringComparison.Ordinal)))
                {
                    onLine();
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
