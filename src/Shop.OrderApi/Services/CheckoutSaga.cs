using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
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
    OrderDbContext db, CatalogClient catalog, PaymentClient payments, ICartStore carts, IOptions<OrderOptions> options, TimeProvider timeProvider,
    OrderMetrics metrics, ILogger<CheckoutSaga> logger)
{
    /// <summary>
    /// Runs the saga until the order settles or a service it needs is unavailable. Only the checkout
    /// request has the card: without it (the recovery worker), a charge is never started, only found
    /// out about or fenced off.
    /// </summary>
    public async Task<Order> RunAsync(Guid orderId, PaymentCard? card, CancellationToken cancellationToken)
    {
        while (true)
        {
            db.ChangeTracker.Clear();
            var order = await db.Orders.SingleAsync(o => o.Id == orderId, cancellationToken);
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

    private async Task AdvanceAsync(Order order, PaymentCard? card, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        switch (order.Step)
        {
            case SagaStep.Reserving when card is null:
                // Without the card the order can never be charged: give back whatever may be reserved.
                order.AbandonBeforeCharge("The checkout was interrupted before payment.", now);
                break;

            case SagaStep.Reserving:
                var reservation = await catalog.ReserveAsync(order.Id, order.Lines.Select(l => (l.ProductId, l.Quantity)), options.Value.ReservationTtl, cancellationToken);
                if (reservation.Reserved)
                {
                    order.Reserved(now);
                }
                else
                {
                    order.OutOfStock(reservation.Shortage ?? "Insufficient stock.", now);
                }

                break;

            case SagaStep.Charging:
                var charge = card is not null
                    ? await payments.ChargeAsync(order.Id, order.Total, order.Currency, card, cancellationToken)
                    : new ChargeAnswer(ChargeAnswerKind.Payment, await FindOrFencePaymentAsync(order, cancellationToken));
                switch (charge.Kind)
                {
                    case ChargeAnswerKind.InProgress:
                        throw new DependencyUnavailableException("payment-api", "a charge of this order is still in progress");
                    case ChargeAnswerKind.Refused:
                        // payment-api refused the request itself (nothing was charged, and the same request will be refused again).
                        var refused = await payments.VoidAsync(order.Id, order.Total, order.Currency, cancellationToken);
                        ApplyPayment(order, refused, now);
                        break;
                    case ChargeAnswerKind.DifferentPayment:
                        ApplyPayment(order, await FindOrFencePaymentAsync(order, cancellationToken), now);
                        break;
                    default:
                        ApplyPayment(order, charge.Payment!, now);
                        break;
                }

                break;

            case SagaStep.Committing:
                var committed = await catalog.ChangeReservationAsync(order.Id, "commit", cancellationToken);
                switch (committed)
                {
                    case HttpStatusCode.OK:
                        order.Committed(now);
                        break;
                    case HttpStatusCode.Conflict or HttpStatusCode.NotFound:
                        order.CommitRefused("The stock reservation expired before the payment completed; the payment is refunded.", now);
                        break;
                    default:
                        throw Unexpected("catalog-api", "commit", committed);
                }

                break;

            case SagaStep.Releasing:
                var released = await catalog.ChangeReservationAsync(order.Id, "release", cancellationToken);
                if (released == HttpStatusCode.Conflict)
                {
                    // Committed after all (by a driver that lost its lease mid-step): put the units back instead.
                    released = await catalog.ChangeReservationAsync(order.Id, "return", cancellationToken);
                }

                if (released is not (HttpStatusCode.OK or HttpStatusCode.NotFound))
                {
                    throw Unexpected("catalog-api", "release", released);
                }

                order.Released(now);
                break;

            case SagaStep.Refunding:
                if (order.PaymentId is { } paymentId)
                {
                    // 409: nothing (more) to refund on it.
                    var refunded = await payments.RefundAsync(order.Id, paymentId, order.Total, cancellationToken);
                    if (refunded is not (HttpStatusCode.Created or HttpStatusCode.OK or HttpStatusCode.Conflict))
                    {
                        throw Unexpected("payment-api", "refund", refunded);
                    }
                }

                order.Refunded(now);
                break;

            case SagaStep.Restocking:
                // 409: the reservation was never committed (nothing to return); 404: it never existed.
                var returned = await catalog.ChangeReservationAsync(order.Id, "return", cancellationToken);
                if (returned is not (HttpStatusCode.OK or HttpStatusCode.Conflict or HttpStatusCode.NotFound))
                {
                    throw Unexpected("catalog-api", "return", returned);
                }

                order.Restocked(now);
                break;
        }
    }

    /// <summary>Moves a Charging order on by what payment-api holds for it.</summary>
    private static void ApplyPayment(Order order, RemotePayment payment, DateTimeOffset now)
    {
        switch (payment.Status)
        {
            case "Succeeded":
                order.Charged(payment.Id, payment.CardBrand, payment.CardLast4, now);
                break;
            case "Declined":
                order.NotCharged($"The card was declined ({payment.DeclineReason}).", payment.Id, now);
                break;
            case "Voided":
                order.NotCharged("The payment could not be completed.", payment.Id, now);
                break;
            default:
                // Processing, or Failed and not yet fenced: ask again shortly.
                throw new DependencyUnavailableException("payment-api", $"the payment of this order is {payment.Status}");
        }
    }

    /// <summary>
    /// An answer the saga has no meaning for (the callee's contract changed, or a bug): never guess,
    /// wait and ask again, and say so in the logs.
    /// </summary>
    private DependencyUnavailableException Unexpected(string service, string action, HttpStatusCode status)
    {
        Log.UnexpectedAnswer(logger, service, action, (int)status);
        return new DependencyUnavailableException(service, $"{action} answered {(int)status}");
    }

    /// <summary>The recovery path of Charging: what did the checkout's charge do? If nothing, make sure nothing ever will.</summary>
    private async Task<RemotePayment> FindOrFencePaymentAsync(Order order, CancellationToken cancellationToken)
    {
        var existing = await payments.FindByOrderAsync(order.Id, cancellationToken);
        return existing is { Status: "Succeeded" or "Declined" or "Processing" or "Voided" }
            ? existing
            : await payments.VoidAsync(order.Id, order.Total, order.Currency, cancellationToken);
    }

    private async Task<bool> TrySaveAsync(Order order, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            return false;
        }
    }

    /// <summary>2, 4, 8 … seconds, up to <see cref="OrderOptions.MaxRetryDelay"/>.</summary>
    private TimeSpan RetryDelay(int retries)
    {
        var delay = TimeSpan.FromSeconds(Math.Pow(2, Math.Min(retries + 1, 16)));
        return delay < options.Value.MaxRetryDelay ? delay : options.Value.MaxRetryDelay;
    }
}
