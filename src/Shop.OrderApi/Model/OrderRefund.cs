namespace Shop.OrderApi.Model;

/// <summary>
/// A refund of an order's payment, as payment-api reported it (<c>PaymentRefunded</c>): a cancellation's, or one an
/// administrator made at payment-api. Rows of their own, so that recording one never writes the order's row, which a
/// running checkout or cancellation may be saving at that moment.
/// </summary>
public sealed record OrderRefund(Guid RefundId, Guid OrderId, decimal Amount, DateTimeOffset RefundedAt);
