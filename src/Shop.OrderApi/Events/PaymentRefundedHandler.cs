using Microsoft.EntityFrameworkCore;
using Shop.IntegrationEvents.Payments;
using Shop.OrderApi.Infrastructure;
using Shop.ServiceDefaults.Resilience;
using Wolverine;

namespace Shop.OrderApi.Events;

/// <summary>
/// Shows payment-api's refunds on the order: each refund is a row of its own (once, however often the event comes),
/// and a payment refunded in full makes a paid or shipped order Refunded. While the order's checkout is still under
/// way the event waits (retried on the outage schedule) until it has settled; a cancellation's own refund changes
/// nothing (the order ends Cancelled).
/// </summary>
public sealed class PaymentRefundedHandler(TimeProvider timeProvider, ILogger<PaymentRefundedHandler> logger)
{
    /// <summary>Records the refund; returns the order's own events (its status change) when it became Refunded.</summary>
    public async Task<OutgoingMessages> Handle(PaymentRefunded refunded, OrderDbContext db, CancellationToken cancellationToken)
    {
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO order_refunds (refund_id, order_id, amount, refunded_at)
            VALUES ({refunded.RefundId}, {refunded.OrderId}, {refunded.Amount}, {refunded.OccurredAt})
            ON CONFLICT (refund_id) DO NOTHING
            """, cancellationToken);

        var published = new OutgoingMessages();
        if (refunded.RefundedTotal >= refunded.PaymentAmount
            && await db.Orders.SingleOrDefaultAsync(o => o.Id == refunded.OrderId, cancellationToken) is { } order)
        {
            if (order.MayYetBePaid)
            {
                // Refunded in full while its checkout is still under way (waiting for a service): decide once it
                // has settled, so that it does not end Paid, and shippable, with its money given back.
                throw new DependencyUnavailableException("checkout saga", $"order {order.Id} is still being checked out");
            }

            if (order.TryMarkRefunded(timeProvider.GetUtcNow()))
            {
                // Wolverine saves the order after this returns and writes these events to the outbox in the same
                // SaveChanges; a change of the order meanwhile fails that save, and the message is handled again.
                published.AddRange(order.PendingEvents);
                order.EventsSaved();
            }
        }

        Log.RefundRecorded(logger, refunded.EventId, refunded.OrderId, refunded.Amount, refunded.RefundedTotal, published.Count > 0);
        return published;
    }
}
