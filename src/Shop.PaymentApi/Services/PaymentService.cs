using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Shop.PaymentApi.Contracts;
using Shop.PaymentApi.Infrastructure;
using Shop.PaymentApi.Model;
using Shop.IntegrationEvents.Payments;
using Shop.ServiceDefaults;
using Shop.ServiceDefaults.Messaging;

namespace Shop.PaymentApi.Services;

/// <summary>
/// Charges, voids and refunds. An order has at most one payment row (a unique index), so no sequence of
/// retries, replays or races can charge an order twice; status changes are guarded UPDATEs, so two
/// requests cannot both move the same payment. Every processor call carries a stable id (the payment's,
/// the refund's) recorded before the call, so asking again never moves money twice.
/// </summary>
public sealed class PaymentService(
    PaymentDbContext db, EventOutbox<PaymentDbContext> outbox, IPaymentProcessor processor, IOptions<PaymentOptions> options, TimeProvider timeProvider,
    PaymentMetrics metrics, ILogger<PaymentService> logger)
{
    private const int RecoveryBatch = 50;

    /// <summary>How long an unanswered refund or reversal waits before the recovery asks again (half its interval).</summary>
    private TimeSpan RetryPause => options.Value.RecoveryInterval / 2;

    public async Task<ChargeResult> ChargeAsync(ChargeRequest request)
    {
        // Once started, a charge runs to its end even if the caller disconnects: the outcome must be recorded.
        var ct = CancellationToken.None;
        var orderId = request.OrderId!.Value;
        var amount = request.Amount!.Value;
        var digits = request.Card.Digits;
        return await ClaimAsync(orderId, amount, request.Currency, CardBrands.Of(digits), digits[^4..], ct) switch
        {
            Claim.Owned owned => await ChargeOwnedAsync(owned.Payment, digits, amount, request.Currency, ct),
            Claim.Answered answered => answered.Result,
            var other => throw new InvalidOperationException($"Unknown claim {other}."),
        };
    }

    /// <summary>Asks the processor to charge a payment this request has claimed, and records what it said.</summary>
    private async Task<ChargeResult> ChargeOwnedAsync(Payment payment, string digits, decimal amount, string currency, CancellationToken ct)
    {
        var attempt = payment.ProcessorAttempts + 1;
        var outcome = await processor.ChargeAsync(new ProcessorCharge(payment.Id, digits, amount, currency, attempt));
        if (outcome is ProcessorOutcome.NoAnswer)
        {
            // No answer is not "nothing taken": only the processor can say whether the charge happened.
            outcome = await processor.FindChargeAsync(payment.Id);
        }

        var recorded = await SettleChargeAsync(payment.Id, outcome, attempt, "processor_error", ct);
        var final = await db.Payments.AsNoTracking().SingleAsync(p => p.Id == payment.Id, ct);
        metrics.Charge(final.Status.ToString());
        Log.Charged(logger, final.Id, final.OrderId, final.Status, attempt);
        return final.Status switch
        {
            PaymentStatus.Failed => new ChargeResult.ProcessorFailed(final),
            PaymentStatus.Processing => new ChargeResult.InProgress(final),
            _ when recorded => new ChargeResult.Charged(final),
            _ => new ChargeResult.AlreadyDecided(final),
        };
    }

    /// <summary>
    /// Gives up charging an order: returns its payment if one exists (a failed one becomes Voided), or
    /// records a Voided payment so that a late charge request takes nothing.
    /// </summary>
    public async Task<Payment> VoidAsync(Guid orderId, decimal amount, string currency, CancellationToken ct)
    {
        var now = timeProvider.GetUtcNow();
        db.Payments.Add(Payment.Void(orderId, amount, currency, now));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            db.ChangeTracker.Clear();
            await db.Payments.Where(p => p.OrderId == orderId && p.Status == PaymentStatus.Failed)
                .ExecuteUpdateAsync(s => s.SetProperty(p => p.Status, PaymentStatus.Voided).SetProperty(p => p.UpdatedAt, now), ct);
        }

        var payment = await db.Payments.AsNoTracking().SingleAsync(p => p.OrderId == orderId, ct);
        Log.Voided(logger, orderId, payment.Status);
        return payment;
    }

    /// <summary>
    /// Refunds part or all of a captured payment; the total refunded, pending refunds included, can never
    /// exceed the amount. The refund is recorded Pending with its id before the processor is asked with
    /// that id, then completed (or failed, freeing its amount) in a second step: a crash in between leaves a
    /// Pending refund that the recovery finishes by asking again with the same id, which pays out once.
    /// </summary>
    public async Task<RefundResult> RefundAsync(Guid paymentId, Guid refundId, decimal amount, CancellationToken ct)
    {
        // The same refund asked for again (its Idempotency-Key's record was released by a failure, or
        // expired): carry that refund on, never start a second one.
        if (await db.Refunds.AsNoTracking().SingleOrDefaultAsync(r => r.Id == refundId, ct) is { } earlier)
        {
            if (earlier.PaymentId != paymentId || earlier.Amount != amount)
            {
                return new RefundResult.DifferentRequest();
            }

            return await FinishRefundAsync(earlier.Id, paymentId, amount);
        }

        var now = timeProvider.GetUtcNow();
        var refund = new Refund(refundId, paymentId, amount, now, now + options.Value.StaleProcessingAfter);
        if (!await ReserveAsync(refund, ct))
        {
            return await db.Payments.AsNoTracking().SingleOrDefaultAsync(p => p.Id == paymentId, ct) switch
            {
                null => new RefundResult.NotFound(),
                { Status: PaymentStatus.Succeeded } captured => new RefundResult.ExceedsRefundable(captured),
                var payment => new RefundResult.NotRefundable(payment),
            };
        }

        return await FinishRefundAsync(refund.Id, paymentId, amount);
    }

    /// <summary>
    /// Asks the processor for a recorded refund (with its own id, so it pays out once however often it is
    /// asked) unless it is settled already, and settles it. It runs to its end even if the caller hangs up,
    /// and whatever stops it, the recovery finishes it once.
    /// </summary>
    private async Task<RefundResult> FinishRefundAsync(Guid refundId, Guid paymentId, decimal amount)
    {
        var recorded = CancellationToken.None;
        var status = await db.Refunds.Where(r => r.Id == refundId).Select(r => r.Status).SingleAsync(recorded);
        if (status == RefundStatus.Pending)
        {
            var currency = await db.Payments.Where(p => p.Id == paymentId).Select(p => p.Currency).SingleAsync(recorded);
            status = await SettleRefundAsync(refundId, paymentId, amount, await AskRefundAsync(refundId, paymentId, amount, currency), recorded);
        }

        var settled = await db.Refunds.AsNoTracking().SingleAsync(r => r.Id == refundId, recorded);
        if (status == RefundStatus.Failed)
        {
            return new RefundResult.ProcessorRefused(settled);
        }

        return new RefundResult.Refunded(settled, await db.Payments.AsNoTracking().SingleAsync(p => p.Id == paymentId, recorded));
    }

    /// <summary>
    /// Finishes what was interrupted: charges left Processing (the processor is asked what became of them
    /// before one is called failed), refunds left Pending, and reversals not yet confirmed. Each item is
    /// claimed with a guarded UPDATE of its timestamp, so replicas running this together take different
    /// items; and should two ever ask about the same one, the processor's ids make that harmless.
    /// </summary>
    public async Task RecoverAsync(CancellationToken ct)
    {
        // One kind of work failing (the processor or the database erring) must not hold up the others.
        foreach (var phase in new Func<CancellationToken, Task>[] { RecoverStaleChargesAsync, RecoverPendingRefundsAsync, RecoverPendingReversalsAsync })
        {
            try
            {
                await phase(ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                Log.RecoveryFailed(logger, ex);
            }
        }
    }

    private async Task RecoverStaleChargesAsync(CancellationToken ct)
    {
        var now = timeProvider.GetUtcNow();
        var staleBefore = now - options.Value.StaleProcessingAfter;
        var stale = await db.Payments.AsNoTracking().Where(p => p.Status == PaymentStatus.Processing && p.UpdatedAt < staleBefore)
            .OrderBy(p => p.UpdatedAt).Take(RecoveryBatch).Select(p => new { p.Id, p.UpdatedAt }).ToListAsync(ct);
        var failed = 0;
        foreach (var payment in stale)
        {
            var claimed = await db.Payments.Where(p => p.Id == payment.Id && p.Status == PaymentStatus.Processing && p.UpdatedAt == payment.UpdatedAt)
                .ExecuteUpdateAsync(s => s.SetProperty(p => p.UpdatedAt, now), ct);
            if (claimed == 0)
            {
                continue;
            }

            var outcome = await processor.FindChargeAsync(payment.Id);
            if (await SettleChargeAsync(payment.Id, outcome, null, "processor_interrupted", ct) && outcome is ProcessorOutcome.NotFound)
            {
                failed++;
            }
        }

        if (failed > 0)
        {
            Log.StalePaymentsFailed(logger, failed);
        }
    }

    private async Task RecoverPendingRefundsAsync(CancellationToken ct)
    {
        var now = timeProvider.GetUtcNow();
        var due = await db.Refunds.AsNoTracking().Where(r => r.Status == RefundStatus.Pending && r.NextAttemptAt <= now)
            .OrderBy(r => r.NextAttemptAt).Take(RecoveryBatch)
            .Join(db.Payments, r => r.PaymentId, p => p.Id, (r, p) => new { r.Id, r.PaymentId, r.Amount, r.NextAttemptAt, p.Currency })
            .ToListAsync(ct);
        foreach (var refund in due)
        {
            var leaseUntil = now + options.Value.StaleProcessingAfter;
            var claimed = await db.Refunds.Where(r => r.Id == refund.Id && r.Status == RefundStatus.Pending && r.NextAttemptAt == refund.NextAttemptAt)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.NextAttemptAt, leaseUntil), ct);
            if (claimed == 1)
            {
                var status = await SettleRefundAsync(refund.Id, refund.PaymentId, refund.Amount, await AskRefundAsync(refund.Id, refund.PaymentId, refund.Amount, refund.Currency), ct);
                Log.PendingRefundRecovered(logger, refund.Id, refund.PaymentId, status);
            }
        }
    }

    private async Task RecoverPendingReversalsAsync(CancellationToken ct)
    {
        var now = timeProvider.GetUtcNow();
        var due = await db.Payments.AsNoTracking().Where(p => p.Reversal == ReversalStatus.Pending && p.ReversalNextAttemptAt <= now)
            .OrderBy(p => p.ReversalNextAttemptAt).Take(RecoveryBatch)
            .Select(p => new { p.Id, p.Amount, p.Currency, p.ReversalNextAttemptAt }).ToListAsync(ct);
        foreach (var payment in due)
        {
            var leaseUntil = now + options.Value.StaleProcessingAfter;
            var claimed = await db.Payments.Where(p => p.Id == payment.Id && p.Reversal == ReversalStatus.Pending && p.ReversalNextAttemptAt == payment.ReversalNextAttemptAt)
                .ExecuteUpdateAsync(s => s.SetProperty(p => p.ReversalNextAttemptAt, leaseUntil), ct);
            if (claimed == 1)
            {
                await AttemptReversalAsync(payment.Id, payment.Amount, payment.Currency, ct);
            }
        }
    }

    /// <summary>
    /// Records what the processor said about a charge. An approval or a decline also lands on a payment
    /// already declared Failed (nothing was known to be taken; now it is known); "no such charge" fails
    /// only a payment still Processing. An approval for a payment given up meanwhile (Voided) is money
    /// taken for an order that moved on: it is reversed. Returns whether this call changed the payment.
    /// </summary>
    private async Task<bool> SettleChargeAsync(Guid paymentId, ProcessorOutcome outcome, int? attempt, string failedReason, CancellationToken ct)
    {
        var (status, reason) = outcome switch
        {
            ProcessorOutcome.Approved => (PaymentStatus.Succeeded, (string?)null),
            ProcessorOutcome.Declined declined => (PaymentStatus.Declined, declined.Reason),
            ProcessorOutcome.NotFound => (PaymentStatus.Failed, failedReason),
            // The processor could not even say: leave it Processing, the recovery asks again later.
            ProcessorOutcome.NoAnswer => (PaymentStatus.Processing, (string?)null),
            var other => throw new InvalidOperationException($"Unknown processor outcome {other}."),
        };
        if (status == PaymentStatus.Processing)
        {
            return false;
        }

        var now = timeProvider.GetUtcNow();
        var settleable = status == PaymentStatus.Failed
            ? db.Payments.Where(p => p.Id == paymentId && p.Status == PaymentStatus.Processing)
            : db.Payments.Where(p => p.Id == paymentId && (p.Status == PaymentStatus.Processing || p.Status == PaymentStatus.Failed));
        var recorded = await settleable.ExecuteUpdateAsync(s => s
            .SetProperty(p => p.Status, status)
            .SetProperty(p => p.DeclineReason, reason)
            .SetProperty(p => p.ProcessorAttempts, p => attempt ?? p.ProcessorAttempts)
            .SetProperty(p => p.UpdatedAt, now), ct);
        if (recorded == 0 && status == PaymentStatus.Succeeded)
        {
            await ReverseIfVoidedAsync(paymentId, now, ct);
        }

        return recorded == 1;
    }

    /// <summary>
    /// An approval that found its payment Voided (given up meanwhile) is money taken for an order that moved
    /// on: the reversal is recorded Pending (once, whoever gets there first) and asked of the processor.
    /// </summary>
    private async Task ReverseIfVoidedAsync(Guid paymentId, DateTimeOffset now, CancellationToken ct)
    {
        var leaseUntil = now + options.Value.StaleProcessingAfter;
        var reversing = await db.Payments.Where(p => p.Id == paymentId && p.Status == PaymentStatus.Voided && p.Reversal == null)
            .ExecuteUpdateAsync(s => s
                .SetProperty(p => p.Reversal, ReversalStatus.Pending)
                .SetProperty(p => p.ReversalNextAttemptAt, leaseUntil)
                .SetProperty(p => p.UpdatedAt, now), ct);
        if (reversing == 1)
        {
            var payment = await db.Payments.AsNoTracking().SingleAsync(p => p.Id == paymentId, ct);
            Log.LateApprovalReversing(logger, paymentId, payment.OrderId);
            await AttemptReversalAsync(paymentId, payment.Amount, payment.Currency, ct);
        }
    }

    /// <summary>Asks the processor to reverse a charge; confirmed, or asked again at the recovery's next run.</summary>
    private async Task AttemptReversalAsync(Guid paymentId, decimal amount, string currency, CancellationToken ct)
    {
        var outcome = await processor.ReverseAsync(paymentId, amount, currency);
        var now = timeProvider.GetUtcNow();
        if (outcome is ProcessorOutcome.Approved or ProcessorOutcome.NotFound)
        {
            await db.Payments.Where(p => p.Id == paymentId && p.Reversal == ReversalStatus.Pending)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(p => p.Reversal, ReversalStatus.Confirmed)
                    .SetProperty(p => p.ReversalNextAttemptAt, (DateTimeOffset?)null)
                    .SetProperty(p => p.UpdatedAt, now), ct);
            Log.ReversalConfirmed(logger, paymentId);
        }
        else
        {
            // Asked again by the recovery, after a pause.
            var retryAt = now + RetryPause;
            await db.Payments.Where(p => p.Id == paymentId && p.Reversal == ReversalStatus.Pending)
                .ExecuteUpdateAsync(s => s.SetProperty(p => p.ReversalNextAttemptAt, retryAt), ct);
            Log.ReversalUnconfirmed(logger, paymentId, outcome.GetType().Name);
        }
    }

    /// <summary>Records the refund Pending and reserves its amount, in one transaction.</summary>
    private async Task<bool> ReserveAsync(Refund refund, CancellationToken ct)
    {
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async token =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(token);
            // A retry after a commit whose acknowledgement was lost finds its refund: reserved already.
            if (await db.Refunds.AnyAsync(r => r.Id == refund.Id, token))
            {
                return true;
            }

            // The check and the reservation are one statement: concurrent refunds queue on the row and each
            // sees the others' reservations, so together they cannot pass the captured amount.
            var applied = await db.Payments
                .Where(p => p.Id == refund.PaymentId && p.Status == PaymentStatus.Succeeded && p.RefundedAmount + p.RefundPendingAmount + refund.Amount <= p.Amount)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(p => p.RefundPendingAmount, p => p.RefundPendingAmount + refund.Amount)
                    .SetProperty(p => p.UpdatedAt, refund.CreatedAt), token);
            if (applied == 0)
            {
                await transaction.RollbackAsync(token);
                return false;
            }

            db.Refunds.Add(refund);
            await db.SaveChangesAsync(token);
            await transaction.CommitAsync(token);
            return true;
        }, ct);
    }

    /// <summary>An exception from the processor is no answer: the refund stays Pending and is asked about again.</summary>
    private async Task<ProcessorOutcome> AskRefundAsync(Guid refundId, Guid paymentId, decimal amount, string currency)
    {
        try
        {
            return await processor.RefundAsync(paymentId, refundId, amount, currency);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.RefundUnanswered(logger, ex, refundId, paymentId);
            return new ProcessorOutcome.NoAnswer();
        }
    }

    /// <summary>
    /// Completes (Approved) or fails (Declined, freeing the reserved amount) a Pending refund, the refund
    /// and the payment's amounts in one transaction; a refund already settled is left as it is. Returns
    /// the refund's status afterwards.
    /// </summary>
    private async Task<RefundStatus> SettleRefundAsync(Guid refundId, Guid paymentId, decimal amount, ProcessorOutcome outcome, CancellationToken ct)
    {
        var status = outcome switch
        {
            ProcessorOutcome.Approved => RefundStatus.Completed,
            ProcessorOutcome.Declined => RefundStatus.Failed,
            _ => RefundStatus.Pending,
        };
        if (status == RefundStatus.Pending)
        {
            // No answer, and this request asks no more: the recovery asks again after a pause.
            var retryAt = timeProvider.GetUtcNow() + RetryPause;
            await db.Refunds.Where(r => r.Id == refundId && r.Status == RefundStatus.Pending)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.NextAttemptAt, retryAt), ct);
        }
        else
        {
            await CloseRefundAsync(refundId, paymentId, amount, status, ct);
        }

        var current = await db.Refunds.Where(r => r.Id == refundId).Select(r => r.Status).SingleAsync(ct);
        switch (current)
        {
            case RefundStatus.Completed:
                metrics.Refund();
                Log.Refunded(logger, paymentId, amount);
                break;
            case RefundStatus.Failed:
                Log.RefundDeclined(logger, refundId, paymentId, (outcome as ProcessorOutcome.Declined)?.Reason);
                break;
            default:
                Log.RefundPending(logger, refundId, paymentId);
                break;
        }

        return current;
    }

    /// <summary>
    /// Moves a Pending refund to Completed or Failed and, only if this call moved it, takes its amount off
    /// the payment's pending amount (onto the refunded amount if completed), in one transaction; a completed
    /// refund's <see cref="PaymentRefunded"/> is saved to the outbox in that transaction too.
    /// </summary>
    private async Task CloseRefundAsync(Guid refundId, Guid paymentId, decimal amount, RefundStatus status, CancellationToken ct)
    {
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async token =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(token);
            var now = timeProvider.GetUtcNow();
            var settled = await db.Refunds.Where(r => r.Id == refundId && r.Status == RefundStatus.Pending)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, status).SetProperty(r => r.CompletedAt, now), token);
            if (settled == 0)
            {
                // Closed by someone else (the recovery, another replica): so was its event.
                await transaction.CommitAsync(token);
                return;
            }

            var paid = status == RefundStatus.Completed ? amount : 0m;
            await db.Payments.Where(p => p.Id == paymentId)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(p => p.RefundPendingAmount, p => p.RefundPendingAmount - amount)
                    .SetProperty(p => p.RefundedAmount, p => p.RefundedAmount + paid)
                    .SetProperty(p => p.UpdatedAt, now), token);
            if (status != RefundStatus.Completed)
            {
                await transaction.CommitAsync(token);
                return;
            }

            var payment = await db.Payments.AsNoTracking().SingleAsync(p => p.Id == paymentId, token);
            // Saves the event's outbox row and commits the transaction; it is sent after the commit.
            await outbox.SaveChangesAsync(
                [new PaymentRefunded(Guid.CreateVersion7(now), now, refundId, paymentId, payment.OrderId, amount, payment.RefundedAmount, payment.Amount, payment.Currency)],
                token);
        }, ct);
    }

    /// <summary>
    /// Takes the order's payment for this request: a new one, or a Failed one to try again. Any other
    /// payment of the order answers the request without a processor call.
    /// </summary>
    private async Task<Claim> ClaimAsync(Guid orderId, decimal amount, string currency, string brand, string last4, CancellationToken ct)
    {
        var fresh = Payment.StartCharge(orderId, amount, currency, brand, last4, timeProvider.GetUtcNow());
        db.Payments.Add(fresh);
        try
        {
            await db.SaveChangesAsync(ct);
            return new Claim.Owned(fresh);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            db.ChangeTracker.Clear();
        }

        var existing = await db.Payments.AsNoTracking().SingleAsync(p => p.OrderId == orderId, ct);
        if (existing.Amount != amount || existing.Currency != currency
            || (existing.CardLast4 is not null && (existing.CardLast4 != last4 || existing.CardBrand != brand)))
        {
            return new Claim.Answered(new ChargeResult.DifferentRequest(existing));
        }

        switch (existing.Status)
        {
            case PaymentStatus.Processing:
                return new Claim.Answered(new ChargeResult.InProgress(existing));
            case PaymentStatus.Failed:
                // A retry after a processor error: try again, if no other request got there first.
                var now = timeProvider.GetUtcNow();
                var retaken = await db.Payments.Where(p => p.Id == existing.Id && p.Status == PaymentStatus.Failed)
                    .ExecuteUpdateAsync(s => s.SetProperty(p => p.Status, PaymentStatus.Processing).SetProperty(p => p.UpdatedAt, now), ct);
                return retaken == 1
                    ? new Claim.Owned(await db.Payments.AsNoTracking().SingleAsync(p => p.Id == existing.Id, ct))
                    : new Claim.Answered(new ChargeResult.InProgress(existing));
            default:
                return new Claim.Answered(new ChargeResult.AlreadyDecided(existing));
        }
    }

    /// <summary>How claiming an order's payment ended: this request owns it and calls the processor, or the answer is known without a call.</summary>
    private abstract record Claim
    {
        private Claim()
        {
        }

        public sealed record Owned(Payment Payment) : Claim;

        public sealed record Answered(ChargeResult Result) : Claim;
    }
}

/// <summary>How a charge request ended. Every case carries the order's payment as it now stands.</summary>
public abstract record ChargeResult
{
    private ChargeResult()
    {
    }

    /// <summary>This request had the card charged: the payment is Succeeded or Declined.</summary>
    public sealed record Charged(Payment Payment) : ChargeResult;

    /// <summary>Decided before or elsewhere (an earlier request, the recovery, a void): Succeeded, Declined or Voided.</summary>
    public sealed record AlreadyDecided(Payment Payment) : ChargeResult;

    /// <summary>Another request, or the recovery, is charging the order now: the payment is Processing.</summary>
    public sealed record InProgress(Payment Payment) : ChargeResult;

    /// <summary>The order's payment is for another amount, currency or card.</summary>
    public sealed record DifferentRequest(Payment Payment) : ChargeResult;

    /// <summary>The processor failed and, asked, knows no such charge: the payment is Failed, nothing was taken.</summary>
    public sealed record ProcessorFailed(Payment Payment) : ChargeResult;
}

/// <summary>How a refund request ended.</summary>
public abstract record RefundResult
{
    private RefundResult()
    {
    }

    /// <summary>The refund is Completed, or Pending and to be paid exactly once; the payment as it now stands.</summary>
    public sealed record Refunded(Refund Refund, Payment Payment) : RefundResult;

    /// <summary>The processor refused it: the refund is Failed, nothing was paid and its amount is free again.</summary>
    public sealed record ProcessorRefused(Refund Refund) : RefundResult;

    public sealed record NotFound : RefundResult;

    /// <summary>Only a captured (Succeeded) payment can be refunded.</summary>
    public sealed record NotRefundable(Payment Payment) : RefundResult;

    /// <summary>The amount is more than what is left to refund, pending refunds counted.</summary>
    public sealed record ExceedsRefundable(Payment Payment) : RefundResult
    {
        public decimal Refundable => Payment.Amount - Payment.RefundedAmount - Payment.RefundPendingAmount;
    }

    /// <summary>The refund id (from the Idempotency-Key) names an earlier refund of another payment or amount.</summary>
    public sealed record DifferentRequest : RefundResult;
}
