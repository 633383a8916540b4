using System.Text;
using System.Text.Json;
using RabbitMQ.Client;

namespace Shop.Tests.Infrastructure;

/// <summary>The message broker as a publisher or an extra subscriber sees it.</summary>
public static class Broker
{
    /// <summary>
    /// Publishes <paramref name="message"/> (the event's wire format: camelCase JSON) to the exchange of
    /// <paramref name="wireName"/>, the way Wolverine sends it, with the message id a consumer's inbox deduplicates on.
    /// </summary>
    public static async Task PublishAsync(this ShopAppFixture fixture, string wireName, object message, Guid messageId)
    {
        var factory = new ConnectionFactory { Uri = new Uri(await fixture.ConnectionStringAsync("messaging")) };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var properties = new BasicProperties { MessageId = messageId.ToString(), Type = wireName, ContentType = "application/json", Persistent = true };
        await channel.BasicPublishAsync(wireName, routingKey: string.Empty, mandatory: false, properties, JsonSerializer.SerializeToUtf8Bytes(message));
    }

    /// <summary>A queue of the test's own bound to the event's exchange: from now on it receives a copy of every such event.</summary>
    public static async Task<Subscription> SubscribeAsync(this ShopAppFixture fixture, string wireName)
    {
        var factory = new ConnectionFactory { Uri = new Uri(await fixture.ConnectionStringAsync("messaging")) };
        var connection = await factory.CreateConnectionAsync();
        var channel = await connection.CreateChannelAsync();
        var queue = (await channel.QueueDeclareAsync(exclusive: true, autoDelete: true)).QueueName;
        await channel.QueueBindAsync(queue, wireName, routingKey: string.Empty);
        return new Subscription(connection, channel, queue);
    }

    public sealed class Subscription(IConnection connection, IChannel channel, string queue) : IAsyncDisposable
    {
        /// <summary>Every message received until <paramref name="wanted"/> matches one (returned last), or null after <paramref name="patience"/>.</summary>
        public async Task<(JsonElement Body, IReadOnlyDictionary<string, object?> Headers)?> UntilAsync(Func<JsonElement, bool> wanted, TimeSpan patience)
        {
            var deadline = DateTimeOffset.UtcNow + patience;
            while (DateTimeOffset.UtcNow < deadline)
            {
                if (await channel.BasicGetAsync(queue, autoAck: true) is { } message)
                {
                    var body = JsonDocument.Parse(message.Body).RootElement.Clone();
                    Received.Add(body);
                    if (wanted(body))
                    {
                        return (body, message.BasicProperties.Headers?.ToDictionary() ?? []);
                    }

                    continue;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(100));
            }

            return null;
        }

        /// <summary>Every message taken off the queue so far.</summary>
        public List<JsonElement> Received { get; } = [];

        public static string Text(object? header) => header is byte[] bytes ? Encoding.UTF8.GetString(bytes) : header?.ToString() ?? string.Empty;

        public async ValueTask DisposeAsync()
        {
            await channel.DisposeAsync();
            await connection.DisposeAsync();
        }
    }
}
