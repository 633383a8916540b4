using System.Text;
using System.Text.Json;
using RabbitMQ.Client;
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
        var factory = new ConnectionFactory { Uri = new Uri(await fixture.ConnectionStringAsync("messaging")) };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        // A queue of the test's own beside order-api's: the exchange fans every event out to both.
        var queue = (await channel.QueueDeclareAsync(exclusive: true, autoDelete: true)).QueueName;
        await channel.QueueBindAsync(queue, "shop.catalog.product-changed.v1", routingKey: string.Empty);

        var traceId = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());
        var sku = $"T-{Guid.NewGuid():N}";
        using var client = fixture.CreateClient("catalog-api");
        var request = Accounts.Authorized(HttpMethod.Post, "/api/products", await fixture.AdminTokenAsync(), new
        {
            product = new { sku, name = "Traced product", description = "Made in a trace.", brand = "Testbrand", categoryId = category, price = 5m },
            initialStock = 1,
            isActive = true,
        });
        request.Headers.Add("traceparent", $"00-{traceId}-{Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()[..8])}-01");
        using var response = await client.SendAsync(request);
        var product = await response.ReadAsAsync<ProductView>(HttpStatusCode.Created);

        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            if (await channel.BasicGetAsync(queue, autoAck: true) is { } message
                && JsonDocument.Parse(message.Body).RootElement.GetProperty("productId").GetGuid() == product.Id)
            {
                var parentId = Encoding.UTF8.GetString((byte[])message.BasicProperties.Headers!["parent-id"]!);
                Assert.StartsWith($"00-{traceId}-", parentId, StringComparison.Ordinal);
                return;
            }

            Assert.True(DateTimeOffset.UtcNow < deadline, "The product's event never came.");
            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }
    }
}
