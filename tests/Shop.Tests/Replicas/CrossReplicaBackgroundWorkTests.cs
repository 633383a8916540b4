using Npgsql;
using Shop.Tests.CatalogApi;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Replicas;

/// <summary>
/// Background work that every replica runs (key creation at start-up, the reservation sweeper every second)
/// takes effect once per item: the replicas take turns or lose a guarded update, and nobody can tell there
/// were three of them.
/// </summary>
[Collection(ReplicaCollection.Name)]
public sealed class CrossReplicaBackgroundWorkTests(ReplicaAppFixture fixture)
{
    [Fact]
    public async Task Replicas_that_started_together_created_one_signing_key()
    {
        await using var connection = new NpgsqlConnection(await fixture.ConnectionStringAsync("userdb"));
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM signing_keys", connection);

        Assert.Equal(1L, await count.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Reservations_swept_by_three_replicas_give_each_unit_back_once()
    {
        var category = await fixture.CreateCategoryAsync();
        var product = await fixture.CreateProductAsync(category, stock: 20);
        var orders = Enumerable.Range(0, 20).Select(_ => Guid.NewGuid()).ToList();
        foreach (var orderId in orders)
        {
            using var reserved = await ReservationTests.ReserveAsync(fixture, orderId, ttlSeconds: 1, (product.Id, 1));
            Assert.Equal("Active", (await reserved.ReadAsAsync<ReservationView>(HttpStatusCode.Created)).Status);
        }

        // Reserved for a second each: some may already be swept by now, on a busy machine.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (DateTime.UtcNow < deadline && (await fixture.StockAsync(product.Id)).Reserved > 0)
        {
            await Task.Delay(250);
        }

        Assert.Equal(new StockView(product.Id, OnHand: 20, Reserved: 0, Available: 20), await fixture.StockAsync(product.Id));
        using var client = fixture.CreateClient("catalog-api");
        foreach (var orderId in orders)
        {
            using var read = await client.SendAsync(Accounts.Authorized(HttpMethod.Get, $"/api/reservations/{orderId}", await fixture.ServiceTokenAsync()));
            Assert.Equal("Expired", (await read.ReadAsAsync<ReservationView>()).Status);
        }
    }
}
