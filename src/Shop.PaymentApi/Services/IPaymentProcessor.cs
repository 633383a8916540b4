namespace Shop.PaymentApi.Services;

/// <summary>
/// The card processor (acquirer) that actually moves money. The seam for a real one. Every operation
/// carries our stable id as the processor's idempotency key, so asking again (a retry, the recovery
/// after a crash, another replica) never moves money twice.
/// </summary>
public interface IPaymentProcessor
{
    /// <summary>
    /// Charges a card, keyed by the payment id. Must not be cancelled half-way by a caller giving up: the
    /// outcome has to be recorded either way. <see cref="ProcessorResult.Error"/> means no answer: the
    /// charge may or may not have happened, so ask <see cref="FindChargeAsync"/> before calling it failed.
    /// </summary>
    Task<ProcessorOutcome> ChargeAsync(ProcessorCharge charge);

    /// <summary>
    /// What happened to the charge of this payment: Approved, Declined (with the reason), NotFound (the
    /// processor took nothing under this id), or Error (the processor could not say; ask again).
    /// </summary>
    Task<ProcessorOutcome> FindChargeAsync(Guid paymentId);

    /// <summary>
    /// Gives back (part of) what a charge took, keyed by our refund id: a repeat refunds once and answers
    /// Approved again. Declined means nothing was or will be paid for this refund; Error means no answer.
    /// </summary>
    Task<ProcessorOutcome> RefundAsync(Guid paymentId, Guid refundId, decimal amount, string currency);

    /// <summary>
    /// Gives back a whole charge that should not have been taken, keyed by the payment id (a repeat
    /// reverses once). Approved or NotFound (nothing was taken) confirm it; Error means ask again.
    /// </summary>
    Task<ProcessorOutcome> ReverseAsync(Guid paymentId, decimal amount, string currency);
}

/// <summary>
/// One charge request to the processor. The payment id is our reference, which the processor takes as
/// its idempotency key; the attempt is 1 for the first request of this payment, 2 for the next.
/// </summary>
public sealed record ProcessorCharge(Guid PaymentId, string CardNumber, decimal Amount, string Currency, int Attempt);

public enum ProcessorResult
{
    Approved,
    Declined,

    /// <summary>No answer (an error or a timeout): what happened is unknown.</summary>
    Error,

    /// <summary>The processor has no operation under this id.</summary>
    NotFound,
}

public sealed record ProcessorOutcome(ProcessorResult Result, string? DeclineReason = null);
