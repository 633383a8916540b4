using Shop.Tests.Infrastructure;
using static Shop.Tests.Infrastructure.Shopping;

namespace Shop.Tests.Events;

/// <summary>
/// order-api's OrderPaid and OrderCancelled events, through the broker, keep catalog-api's units sold per
/// product: a paid order counts, a cancelled one stops counting, and nothing counts twice.
/// </summary>
[Collection(ShopCollections.Orders)]
public sealed class SalesFiguresTests(ShopAppFixture fixture) : SharedSystemTest
{
    [Fact]
    public async Task Units_sold_follow_paid_orders_and_cancellations()
    {
        var category = await fixture.CreateCategoryAsync();
        var product = await fixture.CreateProductAsync(category, stock: 20);
        await fixture.BuyAsync(product.Id, quantity: 2);
        var second = await fixture.BuyAsync(product.Id, quantity: 3);

        await fixture.UntilUnitsSoldAsync(product.Id, 5);

        using var client = fixture.CreateClient("order-api");
        using var cancel = await client.SendAsync(Accounts.Authorized(HttpMethod.Post, $"/api/orders/{second.OrderId}/cancel", second.Customer.AccessToken));
        Assert.Equal("Cancelled", (await cancel.ReadAsAsync<OrderView>()).Status);

        await fixture.UntilUnitsSoldAsync(product.Id, 2);
    }

    [Fact]
    public async Task Search_sorts_by_units_sold_and_pages_through_them()
    {
        var slug = $"bestsellers-{Guid.NewGuid():N}";
        var category = await fixture.CreateCategoryAsync(name: slug);
        var unsold = await fixture.CreateProductAsync(category, stock: 20);
        var most = await fixture.CreateProductAsync(category, stock: 20);
        var some = await fixture.CreateProductAsync(category, stock: 20);
        await fixture.BuyAsync(most.Id, quantity: 5);
        await fixture.BuyAsync(some.Id, quantity: 2);
        await fixture.UntilUnitsSoldAsync(most.Id, 5);
        await fixture.UntilUnitsSoldAsync(some.Id, 2);

        using var client = fixture.CreateClient("catalog-api");
        var seen = new List<Guid>();
        string? cursor = null;
        do
        {
            var url = $"/api/products?category={slug}&sort=bestselling&limit=1" + (cursor is null ? string.Empty : $"&cursor={cursor}");
            using var response = await client.GetAsync(url);
            var page = await response.ReadAsAsync<ProductPageView>();
            seen.AddRange(page.Items.Select(i => i.Id));
            cursor = page.NextCursor;
        }
        while (cursor is not null && seen.Count < 10);

        Assert.Equal([most.Id, some.Id, unsold.Id], seen);
    }
}

/// <summary>
/// The outbox: changes made while the broker is stopped are accepted as ever (nothing waits for the broker), and
/// their events are delivered once it is back, each applied once: orders paid (catalog-api counts their units) and
/// product prices edited (order-api's copies follow).
/// </summary>
[Collection(ShopCollections.Disruptive)]
public sealed class BrokerOutageTests(ShopAppFixture fixture) : DisruptiveTest
{
    [Fact]
    public async Task Changes_made_while_the_broker_is_down_are_delivered_once_it_is_back()
    {
        var category = await fixture.CreateCategoryAsync();
        var product = await fixture.CreateProductAsync(category, stock: 50);
        var edited = new List<TestProduct>();
        foreach (var _ in Enumerable.Range(0, 5))
        {
            var created = await fixture.CreateProductAsync(category, price: 10m);
            await fixture.UntilCopiedAsync(created.Id, revision: 1);
            edited.Add(created);
        }

        await fixture.StopAsync("messaging");
        try
        {
            // 20 changes: 5 orders paid, and 3 price edits of each of 5 products.
            foreach (var quantity in Enumerable.Range(1, 5))
            {
                await fixture.BuyAsync(product.Id, quantity);
            }

            foreach (var item in edited)
            {
                var etag = item.ETag;
                foreach (var price in new[] { 11m, 12m, 13m })
                {
                    etag = await fixture.EditPriceAsync(item, price, etag);
                }
            }

            // Nothing could be delivered yet: the events wait in the publishers' outboxes.
            await Task.Delay(TimeSpan.FromSeconds(2));
            Assert.Equal(0, (await fixture.ProductAsync(product.Id)).UnitsSold);
            foreach (var item in edited)
            {
                Assert.Equal<(long, decimal)?>((1L, 10m), await fixture.ProductCopyAsync(item.Id));
            }
        }
        finally
        {
            await fixture.StartAsync("messaging");
        }

        await fixture.UntilUnitsSoldAsync(product.Id, 15);
        foreach (var item in edited)
        {
            await fixture.UntilCopiedAsync(item.Id, revision: 4);
        }

        // And no event arrives twice: the figures stay.
        await Task.Delay(TimeSpan.FromSeconds(5));
        Assert.Equal(15, (await fixture.ProductAsync(product.Id)).UnitsSold);
        foreach (var item in edited)
        {
            Assert.Equal<(long, decimal)?>((4L, 13m), await fixture.ProductCopyAsync(item.Id));
        }
    }
}

internal static class SalesFigures
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    public static async Task<(SignedInUser Customer, Guid OrderId)> BuyAsync(this ShopAppFixture fixture, Guid productId, int quantity)
    {
        var customer = await fixture.SignUpAsync();
        await fixture.SetCartQuantityAsync(customer, productId, quantity);
        using var response = await fixture.CheckoutAsync(customer);
        var order = await response.ReadAsAsync<OrderView>(HttpStatusCode.Created);
        Assert.Equal("Paid", order.Status);
        return (customer, order.Id);
    }

    public static async Task<ProductView> ProductAsync(this ShopAppFixture fixture, Guid productId)
    {
        using var client = fixture.CreateClient("catalog-api");
        using var response = await client.GetAsync($"/api/products/{productId}");
        return await response.ReadAsAsync<ProductView>();
    }

    /// <summary>Waits until the product's units sold are <paramref name="expected"/>; events arrive a moment after the change.</summary>
    public static async Task UntilUnitsSoldAsync(this ShopAppFixture fixture, Guid productId, int expected, TimeSpan? patience = null)
    {
        var deadline = DateTimeOffset.UtcNow + (patience ?? Patience);
        int seen;
        while ((seen = (await fixture.ProductAsync(productId)).UnitsSold) != expected && DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }

        Assert.Equal(expected, seen);
    }
}
