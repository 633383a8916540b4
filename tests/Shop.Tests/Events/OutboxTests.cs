using Shop.Tests.Infrastructure;

namespace Shop.Tests.Events;

/// <summary>The outbox publishes what was saved and nothing else: a change whose transaction rolls back sends no event.</summary>
[Collection(ShopCollections.Catalog)]
public sealed class OutboxTests(ShopAppFixture fixture) : SharedSystemTest
{
    [Fact]
    public async Task A_product_write_that_rolls_back_publishes_nothing()
    {
        var category = await fixture.CreateCategoryAsync();
        var taken = await fixture.CreateProductAsync(category);
        await using var events = await fixture.SubscribeAsync("shop.catalog.product-changed.v1");
        var refusedName = $"Refused {Guid.NewGuid():N}";

        // The same SKU again: the INSERT fails on the unique index, and the transaction, the event's outbox row
        // included, rolls back.
        using var client = fixture.CreateClient("catalog-api");
        using var refused = await client.SendAsync(Accounts.Authorized(HttpMethod.Post, "/api/products", await fixture.AdminTokenAsync(), new
        {
            product = new { sku = taken.Sku, name = refusedName, description = "Never saved.", brand = "Testbrand", categoryId = category, price = 5m },
            initialStock = 1,
            isActive = true,
        }));
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);

        // A write after it, and a moment for anything else to arrive.
        var after = await fixture.CreateProductAsync(category);
        Assert.NotNull(await events.UntilAsync(e => e.GetProperty("productId").GetGuid() == after.Id, TimeSpan.FromSeconds(30)));
        await events.UntilAsync(_ => false, TimeSpan.FromSeconds(2));

        Assert.DoesNotContain(events.Received, e => e.GetProperty("name").GetString() == refusedName);
    }
}
