using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Shop.ServiceDefaults.Messaging;
using Shop.OrderApi.Clients;
using Shop.OrderApi.Contracts;
using Shop.OrderApi.Infrastructure;
using Shop.OrderApi.Model;
using Shop.ServiceDefaults.Resilience;

namespace Shop.OrderApi.Services;

/// <summary>
/// Drives an order through checkout and cancellation, one recorded step at a time:
/// reserve stock → charge → commit the reservation → Paid, and the compensations: release the stock
/// (Rejected, PaymentFailed), refund (a charge whose reservation expired; a cancellation), restock.
/// Every step calls an idempotent endpoint keyed by the order, and its outcome is saved before the next
/// step, so whoever drives the order next (the checkout request, or the recovery worker after a crash or
/// an outage) continues exactly where it stopped and never repeats an effect.
/// </summary>
public sealed class CheckoutSaga(
    OrderDbContext db, EventOutbox<OrderDbContext> outbox, CatalogClient catalog, PaymentClient payments, ICartStore carts, IOptions<OrderOptions> options, TimeProvider timeProvider,
    OrderMetrics metrics, ILogger<CheckoutSaga> logger)
{
    /// <summary>
    /// Runs the saga until the order settles or a service it needs is unavailable. Only the checkout
    /// request has the card: without it (the recovery worker), a charge is never started, only found
    /// out about or fenced off.
    /// </summary>
    public async Task<Order> RunAsync(Guid orderId, PaymentCard? card, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        var order = await db.Orders.SingleAsync(o => o.Id == orderId, cancellationToken);
        while (true)
        {
            // After each saved step the tracked order is the database's row (its xmin came back with the
            // UPDATE), so the next step starts from it without reading the order again.
            if (order.IsSettled)
            {
                return order;
            }

            var step = order.Step;
            try
            {
                await AdvanceAsync(order, card, cancellationToken);
            }
            catch (DependencyUnavailableException ex)
            {
                var now = timeProvider.GetUtcNow();
                order.Wait($"{step}: {ex.Message}", now, now + RetryDelay(order.Retries));
                await TrySaveAsync(order, cancellationToken);
                Log.SagaWaiting(logger, order.Id, step, ex.Service);
                return order;
            }

            if (!await TrySaveAsync(order, cancellationToken))
            {
                // Someone else moved this order meanwhile: they are driving it now.
                db.ChangeTracker.Clear();
                return await db.Orders.AsNoTracking().SingleAsync(o => o.Id == orderId, cancellationToken);
            }

            if (order.IsSettled)
            {
                metrics.Settled(order.Status);
                Log.OrderSettled(logger, order.Id, order.Status, order.FailureReason);
                if (order.Status == OrderStatus.Paid)
                {
                    await TryCleanCartAsync(order.Id, order.CustomerId, order.Lines, CancellationToken.None);
                }
            }
        }
    }

    /// <summary>
    /// Runs the saga for a request that already wrote or changed <paramref name="known"/>. Once the order
    /// exists nothing may turn into a server error: whatever goes wrong here (a database error, an answer
    /// that cannot be read, a bug) is logged, the order is left for the recovery worker (at once, if the
    /// database can still be told), and the caller gets the order as last seen, which it answers as
    /// "accepted, still settling".
    /// </summary>
    public async Task<Order> RunForRequestAsync(Order known, PaymentCard? card)
    {
        try
        {
            // The customer's connection may drop; the saga goes on to a recorded state regardless.
            return await RunAsync(known.Id, card, CancellationToken.None);
        }
        catch (Exception ex)
        {
            Log.SagaFailed(logger, known.Id, ex);
        }

        try
        {
            db.ChangeTracker.Clear();
            var now = timeProvider.GetUtcNow();
            await db.Orders.Where(o => o.Id == known.Id && o.Step != SagaStep.None)
                .ExecuteUpdateAsync(s => s.SetProperty(o => o.LeaseUntil, now), CancellationToken.None);
            return await db.Orders.AsNoTracking().SingleAsync(o => o.Id == known.Id, CancellationToken.None);
        }
        catch (Exception ex)
        {
            // The database is gone too: the order's lease runs out by itself and the worker carries on then.
            Log.SagaFailed(logger, known.Id, ex);
            return known;
        }
    }

    /// <summary>
    /// Takes what a paid order bought out of its customer's cart, once (the cart store remembers the
    /// order), and records that it did. A cart that cannot be cleaned now is no failure of the order:
    /// the recovery worker tries again.
    /// </summary>
    public async Task TryCleanCartAsync(Guid orderId, Guid customerId, IEnumerable<OrderLine> lines, CancellationToken cancellationToken)
    {
        try
        {
            await carts.RemovePurchasedAsync(customerId, orderId, lines.Select(l => (l.ProductId, l.Quantity)));
            await db.Orders.Where(o => o.Id == orderId && o.CartCleanupPending)
                .ExecuteUpdateAsync(s => s.SetProperty(o => o.CartCleanupPending, false), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.CartCleanupFailed(logger, orderId, ex);
        }
    }

    /// <summary>Takes the order's next step and records its outcome on the order (not yet saved).</summary>
    private Task AdvanceAsync(Order order, PaymentCard? card, CancellationToken cancellationToken) => order.Step switch
    {
        SagaStep.Reserving when card is null => AbandonAsync(order),
        SagaStep.Reserving => ReserveAsync(order, cancellationToken),
        SagaStep.Charging => ChargeAsync(order, card, cancellationToken),
        SagaStep.Committing => CommitAsync(order, cancellationToken),
        SagaStep.Releasing => ReleaseAsync(order, cancellationToken),
        SagaStep.Refunding => RefundAsync(order, cancellationToken),
        SagaStep.Restocking => RestockAsync(order, cancellationToken),
        _ => throw new InvalidOperationException($"Order {order.Id} has no step to take ({order.Step})."),
    };

    /// <summary>Without the card the order can never be charged: give back whatever may be reserved.</summary>
    private Task AbandonAsync(Order order)
    {
        order.AbandonBeforeCharge("The checkout was interrupted before payment.", Now);
        return Task.CompletedTask;
    }

    private async Task ReserveAsync(Order order, CancellationToken cancellationToken)
    {
        var answer = await catalog.ReserveAsync(order.Id, order.Lines.Select(l => (l.ProductId, l.Quantity)), options.Value.ReservationTtl, cancellationToken);
        switch (answer)
        {
            case ReserveAnswer.Reserved:
                order.Reserved(Now);
                break;
            case ReserveAnswer.Refused refused:
                order.OutOfStock(refused.Reason, Now);
                break;
        }
    }

    /// <summary>
    /// With the card (the checkout request), charge; without it (the recovery worker), only find out what
    /// the checkout's charge did, and fence the order off at payment-api if it did nothing.
    /// </summary>
    private async Task ChargeAsync(Order order, PaymentCard? card, CancellationToken cancellationToken)
    {
        if (card is null)
        {
            ApplyPayment(order, await FindOrFencePaymentAsync(order, cancellationToken));
            return;
        }

        switch (await payments.ChargeAsync(order.Id, order.Total, order.Currency, card, cancellationToken))
        {
            case ChargeAnswer.Answered answered:
                ApplyPayment(order, answered.Payment);
                break;
            case ChargeAnswer.InProgress:
                throw new DependencyUnavailableException("payment-api", "a charge of this order is still in progress");
            case ChargeAnswer.Refused:
                // Nothing was charged, and the same request will be refused again: make sure nothing ever is.
                ApplyPayment(order, await payments.VoidAsync(order.Id, order.Total, order.Currency, cancellationToken));
                break;
            case ChargeAnswer.DifferentPayment:
                ApplyPayment(order, await FindOrFencePaymentAsync(order, cancellationToken));
                break;
        }
    }

    private async Task CommitAsync(Order order, CancellationToken cancellationToken)
    {
        if (await catalog.CommitReservationAsync(order.Id, cancellationToken) == ReservationChange.Done)
        {
            order.Committed(Now);
        }
        else
        {
            order.CommitRefused("The stock reservation expired before the payment completed; the payment is refunded.", Now);
        }
    }

    private async Task ReleaseAsync(Order order, CancellationToken cancellationToken)
    {
        if (await catalog.ReleaseReservationAsync(order.Id, cancellationToken) == ReservationChange.Refused)
        {
            // Committed after all (by a driver that lost its lease mid-step): put the units back instead.
            if (await catalog.ReturnReservationAsync(order.Id, cancellationToken) == ReservationChange.Refused)
            {
                // Neither releasable nor returnable is no state the catalog should be in: never guess, ask again.
                throw new DependencyUnavailableException("catalog-api", "the reservation can be neither released nor returned");
            }
        }

        order.Released(Now);
    }

    private async Task RefundAsync(Order order, CancellationToken cancellationToken)
    {
        if (order.PaymentId is { } paymentId)
        {
            // Refunded, or nothing (more) to refund on it: either way the money is back.
            await payments.RefundAsync(order.Id, paymentId, order.Total, cancellationToken);
        }

        order.Refunded(Now);
    }

    private async Task RestockAsync(Order order, CancellationToken cancellationToken)
    {
        // Refused: the reservation was never committed (nothing to return); missing: it never existed.
        await catalog.ReturnReservationAsync(order.Id, cancellationToken);
        order.Restocked(Now);
    }

    /// <summary>Moves a Charging order on by what payment-api holds for it.</summary>
    private void ApplyPayment(Order order, RemotePayment payment)
    {
        switch (payment.Status)
        {
            case RemotePaymentStatus.Succeeded:
                order.Charged(payment.Id, payment.CardBrand, payment.CardLast4, Now);
                break;
            case RemotePaymentStatus.Declined:
                order.NotCharged($"The card was declined ({payment.DeclineReason}).", payment.Id, Now);
                break;
            case RemotePaymentStatus.Voided:
                order.NotCharged("The payment could not be completed.", payment.Id, Now);
                break;
            default:
                // Processing, or Failed and not yet fenced: ask again shortly.
                throw new DependencyUnavailableException("payment-api", $"the payment of this order is {payment.Status}");
        }
    }

    /// <summary>The recovery path of Charging: what did the checkout's charge do? If nothing, make sure nothing ever will.</summary>
    private async Task<RemotePayment> FindOrFencePaymentAsync(Order order, CancellationToken cancellationToken)
    {
        var existing = await payments.FindByOrderAsync(order.Id, cancellationToken);
        return existing is { Status: RemotePaymentStatus.Succeeded or RemotePaymentStatus.Declined or RemotePaymentStatus.Processing or RemotePaymentStatus.Voided }
            ? existing
            : await payments.VoidAsync(order.Id, order.Total, order.Currency, cancellationToken);
    }

    private async Task<bool> TrySaveAsync(Order order, CancellationToken cancellationToken)
    {
        try
        {
            await outbox.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            return false;
        }
    }

    private DateTimeOffset Now => timeProvider.GetUtcNow();

    /// <summary>2, 4, 8 … seconds, up to <see cref="OrderOptions.MaxRetryDelay"/>.</summary>
    private TimeSpan RetryDelay(int retries)
    {
        var delay = TimeSpan.FromSeconds(Math.Pow(2, Math.Min(retries + 1, 16)));
        return delay < options.Value.MaxRetryDelay ? delay : options.Value.MaxRetryDelay;
    }
}
