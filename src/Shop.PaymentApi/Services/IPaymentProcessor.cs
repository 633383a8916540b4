namespace Shop.PaymentApi.Services;

/// <summary>The card processor (acquirer) that actually moves money. The seam for a real one.</summary>
public interface IPaymentProcessor
{
    /// <summary>
    /// Charges a card. Must not be cancelled half-way by a caller giving up: the outcome has to be
    /// recorded either way.
    /// </summary>
    Task<ProcessorOutcome> ChargeAsync(ProcessorCharge charge);

    /// <summary>Gives back (part of) what a charge took. Keyed by our refund id, so a repeat refunds once.</summary>
    Task<ProcessorOutcome> RefundAsync(Guid paymentId, Guid refundId, decimal amount, string currency);
}

/// <summary>
/// One charge request to the processor. The payment id is our reference, which a real processor would
/// take as its idempotency key; the attempt is 1 for the first request of this payment, 2 for the next.
/// </summary>
public sealed record ProcessorCharge(Guid PaymentId, string CardNumber, decimal Amount, string Currency, int Attempt);

public enum ProcessorResult
{
    Approved,
    Declined,
    Error,
}

public sealed record ProcessorOutcome(ProcessorResult Result, string? DeclineReason = null);
