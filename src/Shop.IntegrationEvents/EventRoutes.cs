using System.Reflection;
using Shop.IntegrationEvents.Catalog;
using Shop.IntegrationEvents.Orders;
using Shop.IntegrationEvents.Payments;
using Shop.IntegrationEvents.Users;
using Wolverine.Attributes;

namespace Shop.IntegrationEvents;

/// <summary>One event: its wire name, the service that publishes it and the services that consume it.</summary>
public sealed record EventRoute(Type Event, string Publisher, IReadOnlyList<string> Consumers)
{
    /// <summary>The versioned name on the wire (the event's exchange), from its <see cref="MessageIdentityAttribute"/>.</summary>
    public string WireName { get; } = Event.GetCustomAttribute<MessageIdentityAttribute>()?.Alias
        ?? throw new InvalidOperationException($"{Event.Name} needs a [MessageIdentity] with its versioned wire name.");

    /// <summary>The queue a consumer receives the event on; the replicas of one service share it.</summary>
    public string QueueOf(string consumer) => $"{consumer}.{WireName}";
}

/// <summary>
/// Who publishes and who consumes each event: the broker's topology, in one place. Publishers and consumers
/// both declare it (an exchange per event, a queue per consumer bound to it), so whichever starts first, an
/// event is never published to an exchange that has no queue yet and dropped. A new consumer is a line here.
/// </summary>
public static class EventRoutes
{
    public static IReadOnlyList<EventRoute> All { get; } =
    [
        new(typeof(UserDeleted), Publisher: "user-api", Consumers: ["order-api"]),
        new(typeof(ProductChanged), Publisher: "catalog-api", Consumers: ["order-api"]),
        new(typeof(OrderStatusChanged), Publisher: "order-api", Consumers: []),
        new(typeof(OrderPaid), Publisher: "order-api", Consumers: ["catalog-api"]),
        new(typeof(OrderCancelled), Publisher: "order-api", Consumers: ["catalog-api"]),
        new(typeof(OrderShipped), Publisher: "order-api", Consumers: []),
        new(typeof(PaymentRefunded), Publisher: "payment-api", Consumers: ["order-api"]),
    ];
}
