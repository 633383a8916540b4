using Microsoft.EntityFrameworkCore;
using Shop.PaymentApi.Contracts;
using Shop.PaymentApi.Infrastructure;
using Shop.PaymentApi.Model;
using Shop.ServiceDefaults;

namespace Shop.PaymentApi.Services;

/// <summary>
/// Charges, voids and refunds. An order has at most one payment row (a unique index), so no sequence of
/// retries, replays or races can charge an order twice; status changes are guarded UPDATEs, so two
/// requests cannot both move the same payment.
/// </summary>
public sealed class PaymentService(PaymentDbContext db, IPaymentProcessor processor, TimeProvider timeProvider, PaymentMetrics metrics, ILogger<PaymentService> logger)
{
    public async Task<ChargeResult> ChargeAsync(ChargeRequest request)
    {
        // Once started, a charge runs to its end even if the caller disconnects: the outcome must be recorded.
        var ct = CancellationToken.None;
        var orderId = request.OrderId!.Value;
        var amount = request.Amount!.Value;
        var digits = request.Card.Digits;
        var brand = CardBrands.Of(digits);
        var last4 = digits[^4..];

        var payment = await ClaimAsync(orderId, amount, request.Currency, brand, last4, ct);
        if (payment.Outcome != ChargeOutcome.Charge)
        {
            return payment;
        }

        var attempt = payment.Payment!.ProcessorAttempts + 1;
        var outcome = await processor.ChargeAsync(new ProcessorCharge(payment.Payment.Id, digits, amount, request.Currency, attempt));
        var (status, reason) = outcome.Result switch
        {
            ProcessorResult.Approved => (PaymentStatus.Succeeded, (string?)null),
            ProcessorResult.Declined => (PaymentStatus.Declined, outcome.DeclineReason),
            _ => (PaymentStatus.Failed, "processor_error"),
        };
        var now = timeProvider.GetUtcNow();
        var recorded = await db.Payments.Where(p => p.Id == payment.Payment.Id && p.Status == PaymentStatus.Processing)
            .ExecuteUpdateAsync(s => s
                .SetProperty(p => p.Status, status)
                .SetProperty(p => p.DeclineReason, reason)
                .SetProperty(p => p.ProcessorAttempts, attempt)
                .SetProperty(p => p.UpdatedAt, now), ct);
        if (recorded == 0 && status == PaymentStatus.Succeeded)
        {
            // The processor approved after the payment had been declared interrupted (and perhaps voided):
            // the order has moved on without this money, so give it straight back.
            await processor.RefundAsync(payment.Payment.Id, Guid.CreateVersion7(now), amount, request.Currency);
            Log.LateApprovalReversed(logger, payment.Payment.Id, orderId);
        }

        var final = await db.Payments.AsNoTracking().SingleAsync(p => p.Id == payment.Payment.Id, ct);
        metrics.Charge(final.Status.ToString());
        Log.Charged(logger, final.Id, orderId, final.Status, attempt);
        return new ChargeResult(status == PaymentStatus.Failed ? ChargeOutcome.ProcessorFailed : ChargeOutcome.Charged, final);
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

    /// <summary>Refunds part or all of a captured payment; the total refunded can never exceed the amount.</summary>
    public async Task<RefundResult> RefundAsync(Guid paymentId, decimal amount, CancellationToken ct)
    {
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async token =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(token);
            var now = timeProvider.GetUtcNow();
            // The check and the increment are one statement: concurrent refunds queue on the row and each
            // sees the others' increments, so together they cannot pass the captured amount.
            var applied = await db.Payments
                .Where(p => p.Id == paymentId && p.Status == PaymentStatus.Succeeded && p.RefundedAmount + amount <= p.Amount)
                .ExecuteUpdateAsync(s => s.SetProperty(p => p.RefundedAmount, p => p.RefundedAmount + amount).SetProperty(p => p.UpdatedAt, now), token);
            if (applied == 0)
            {
                await transaction.RollbackAsync(token);
                var payment = await db.Payments.AsNoTracking().SingleOrDefaultAsync(p => p.Id == paymentId, token);
                return payment is null
                    ? new RefundResult(RefundOutcome.NotFound, null, null)
                    : new RefundResult(payment.Status == PaymentStatus.Succeeded ? RefundOutcome.ExceedsCaptured : RefundOutcome.NotRefundable, null, payment);
            }

            var refund = new Refund(paymentId, amount, now);
            db.Refunds.Add(refund);
            var captured = await db.Payments.AsNoTracking().SingleAsync(p => p.Id == paymentId, token);
            // Asked while the row is locked by the increment above, so concurrent refunds reach the
            // processor one at a time and never for more than was captured.
            var outcome = await processor.RefundAsync(paymentId, refund.Id, amount, captured.Currency);
            if (outcome.Result != ProcessorResult.Approved)
            {
                await transaction.RollbackAsync(token);
                return new RefundResult(RefundOutcome.ProcessorFailed, null, captured);
            }

            await db.SaveChangesAsync(token);
            await transaction.CommitAsync(token);
            var refunded = await db.Payments.AsNoTracking().SingleAsync(p => p.Id == paymentId, token);
            metrics.Refund();
            Log.Refunded(logger, paymentId, amount, refunded.RefundedAmount);
            return new RefundResult(RefundOutcome.Refunded, refund, refunded);
        }, ct);
    }

    private async Task<ChargeResult> ClaimAsync(Guid orderId, decimal amount, string currency, string brand, string last4, CancellationToken ct)
    {
        var fresh = Payment.StartCharge(orderId, amount, currency, brand, last4, timeProvider.GetUtcNow());
        db.Payments.Add(fresh);
        try
        {
            await db.SaveChangesAsync(ct);
            return new ChargeResult(ChargeOutcome.Charge, fresh);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            db.ChangeTracker.Clear();
        }

        var existing = await db.Payments.AsNoTracking().SingleAsync(p => p.OrderId == orderId, ct);
        if (existing.Amount != amount || existing.Currency != currency
            || (existing.CardLast4 is not null && (existing.CardLast4 != last4 || existing.CardBrand != brand)))
        {
            return new ChargeResult(ChargeOutcome.DifferentRequest, existing);
        }

        switch (existing.Status)
        {
            case PaymentStatus.Processing:
                return new ChargeResult(ChargeOutcome.InProgress, existing);
            case PaymentStatus.Failed:
                // A retry after a processor error: try again, if no other request got there first.
                var now = timeProvider.GetUtcNow();
                var retaken = await db.Payments.Where(p => p.Id == existing.Id && p.Status == PaymentStatus.Failed)
                    .ExecuteUpdateAsync(s => s.SetProperty(p => p.Status, PaymentStatus.Processing).SetProperty(p => p.UpdatedAt, now), ct);
                return retaken == 1
                    ? new ChargeResult(ChargeOutcome.Charge, await db.Payments.AsNoTracking().SingleAsync(p => p.Id == existing.Id, ct))
                    : new ChargeResult(ChargeOutcome.InProgress, existing);
            default:
                return new ChargeResult(ChargeOutcome.AlreadyDecided, existing);
        }
    }
}

public enum ChargeOutcome
{
    /// <summary>Internal: this request owns the payment and calls the processor.</summary>
    Charge,

    Charged,
    AlreadyDecided,
    InProgress,
    DifferentRequest,
    ProcessorFailed,
}

public sealed record ChargeResult(ChargeOutcome Outcome, Payment? Payment);

public enum RefundOutcome
{
    Refunded,
    ProcessorFailed,
    NotFound,
    NotRefundable,
    ExceedsCaptured,
}

public sealed record RefundResult(RefundOutcome Outcome, Refund? Refund, Payment? Payment);
