using Wolverine.Attributes;

namespace Shop.IntegrationEvents.Payments;

/// <summary>
/// Money went back to the card: one refund of a payment completed at the processor, whoever asked for it
/// (order-api cancelling an order, or an administrator at payment-api). <c>RefundedTotal</c> is what the payment
/// has had refunded with this one included, out of <c>PaymentAmount</c>.
/// </summary>
[MessageIdentity("shop.payments.payment-refunded.v1")]
public sealed record PaymentRefunded(
    Guid EventId, DateTimeOffset OccurredAt, Guid RefundId, Guid PaymentId, Guid OrderId, decimal Amount, decimal RefundedTotal,
    decimal PaymentAmount, string Currency)
    : IntegrationEvent(EventId, OccurredAt);
