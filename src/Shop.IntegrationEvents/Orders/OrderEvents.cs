using Wolverine.Attributes;

namespace Shop.IntegrationEvents.Orders;

/// <summary>One product of an order: how many, at what unit price.</summary>
public sealed record OrderedProduct(Guid ProductId, int Quantity, decimal UnitPrice);

/// <summary>
/// An order moved from one status to another (names of order-api's <c>OrderStatus</c>). Published by
/// order-api for every status change, for whoever follows orders (a storefront showing an order live);
/// <c>FromStatus</c> is null when the order was just placed.
/// </summary>
[MessageIdentity("shop.orders.order-status-changed.v1")]
public sealed record OrderStatusChanged(Guid EventId, DateTimeOffset OccurredAt, Guid OrderId, Guid CustomerId, string? FromStatus, string ToStatus)
    : IntegrationEvent(EventId, OccurredAt);

/// <summary>An order was paid: its stock is committed and it will ship.</summary>
[MessageIdentity("shop.orders.order-paid.v1")]
public sealed record OrderPaid(Guid EventId, DateTimeOffset OccurredAt, Guid OrderId, Guid CustomerId, IReadOnlyList<OrderedProduct> Lines, decimal Total, string Currency)
    : IntegrationEvent(EventId, OccurredAt);

/// <summary>A paid order was cancelled: refunded and its stock back on hand.</summary>
[MessageIdentity("shop.orders.order-cancelled.v1")]
public sealed record OrderCancelled(Guid EventId, DateTimeOffset OccurredAt, Guid OrderId, Guid CustomerId, IReadOnlyList<OrderedProduct> Lines)
    : IntegrationEvent(EventId, OccurredAt);

/// <summary>A paid order left the warehouse.</summary>
[MessageIdentity("shop.orders.order-shipped.v1")]
public sealed record OrderShipped(Guid EventId, DateTimeOffset OccurredAt, Guid OrderId, Guid CustomerId)
    : IntegrationEvent(EventId, OccurredAt);
