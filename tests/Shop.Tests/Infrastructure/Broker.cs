using System.Text.Json;
using RabbitMQ.Client;

namespace Shop.Tests.Infrastructure;

/// <summary>The message broker as a publisher sees it: a message sent the way Wolverine sends one.</summary>
public static class Broker
{
    /// <summary>
    /// Publishes <paramref name="message"/> (the event's wire format: camelCase JSON) to the exchange of
    /// <paramref name="wireName"/>, with the message id a consumer's inbox deduplicates on.
    /// </summary>
    public static async Task PublishAsync(this ShopAppFixture fixture, string wireName, object message, Guid messageId)
    {
        var factory = new ConnectionFactory { Uri = new Uri(await fixture.ConnectionStringAsync("messaging")) };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var properties = new BasicProperties { MessageId = messageId.ToString(), Type = wireName, ContentType = "application/json", Persistent = true };
        await channel.BasicPublishAsync(wireName, routingKey: string.Empty, mandatory: false, properties, JsonSerializer.SerializeToUtf8Bytes(message));
    }
}
