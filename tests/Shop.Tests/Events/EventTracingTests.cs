using Shop.Tests.Infrastructure;

namespace Shop.Tests.Events;

/// <summary>
/// An event carries the trace of the request whose change it announces: Wolverine puts the publishing span's id
/// in the message's <c>parent-id</c> header, and a consumer's handling span starts as its child, so one trace
/// shows the request and every consumer's work (the dashboard's Traces page, under the request).
/// </summary>
[Collection(ShopCollections.Catalog)]
public sealed class EventTracingTests(ShopAppFixture fixture) : SharedSystemTest
{
    [Fact]
    public async Task A_products_event_carries_the_trace_of_the_request_that_changed_it()
    {
        var category = await fixture.CreateCategoryAsync();
        await using var events = await fixture.SubscribeAsync("shop.catalog.product-changed.v1");

        var traceId = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());
        using var client = fixture.CreateClient("catalog-api");
        var request = Accounts.Authorized(HttpMethod.Post, "/api/products", await fixture.AdminTokenAsync(), new
        {
            product = new { sku = $"T-{Guid.NewGuid():N}", name = "Traced product", description = "Made in a trace.", brand = "Testbrand", categoryId = category, price = 5m },
            initialStock = 1,
            isActive = true,
        });
        request.Headers.Add("traceparent", $"00-{traceId}-{Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()[..8])}-01");
        using var response = await client.SendAsync(request);
        var product = await response.ReadAsAsync<ProductView>(HttpStatusCode.Created);

        var message = await events.UntilAsync(e => e.GetProperty("productId").GetGuid() == product.Id, TimeSpan.FromSeconds(30));
        Assert.NotNull(message);
        Assert.StartsWith($"00-{traceId}-", Broker.Subscription.Text(message.Value.Headers.GetValueOrDefault("parent-id")), StringComparison.Ordinal);
    }
}
