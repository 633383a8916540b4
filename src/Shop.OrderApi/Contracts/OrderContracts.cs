using Shop.OrderApi.Model;

namespace Shop.OrderApi.Contracts;

public sealed record OrderLineResponse(Guid ProductId, string Sku, string Name, decimal UnitPrice, int Quantity, decimal LineTotal);

/// <summary>
/// An order. <c>RefundedAmount</c> is what payment-api has reported refunded (its events arrive a moment after the
/// refund: a cancellation's answer may still show 0); <c>Status</c> is <c>Refunded</c> once an administrator refunded
/// a paid or shipped order in full.
/// </summary>
public sealed record OrderResponse(
    Guid Id, Guid CustomerId, string Status, bool InProgress, IReadOnlyList<OrderLineResponse> Lines, decimal Total, string Currency,
    ShippingAddress ShippingAddress, string? CardBrand, string? CardLast4, string? FailureReason,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? PaidAt, DateTimeOffset? ShippedAt, DateTimeOffset? CancelledAt,
    decimal RefundedAmount);

public sealed record OrderPage(IReadOnlyList<OrderResponse> Items, string? NextCursor);

public static class OrderMappings
{
    public static OrderResponse ToResponse(this Order order) => new(
        order.Id, order.CustomerId, order.Status.ToString(), !order.IsSettled,
        [.. order.Lines.OrderBy(l => l.Name).Select(l => new OrderLineResponse(l.ProductId, l.Sku, l.Name, l.UnitPrice, l.Quantity, l.LineTotal))],
        order.Total, order.Currency, order.ShippingAddress, order.CardBrand, order.CardLast4, order.FailureReason,
        order.CreatedAt, order.UpdatedAt, order.PaidAt, order.ShippedAt, order.CancelledAt, order.Refunds.Sum(r => r.Amount));
}
