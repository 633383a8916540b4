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
    /// outcome has to be recorded either way. <see cref="ProcessorOutcome.NoAnswer"/> means no answer: the
    /// charge may or may not have happened, so ask <see cref="FindChargeAsync"/> before calling it failed.
    /// </summary>
    Task<ProcessorOutcome> ChargeAsync(ProcessorCharge charge);

    /// <summary>
    /// What happened to the charge of this payment: Approved, Declined (with the reason), NotFound (the
    /// processor took nothing under this id), or NoAnswer (the processor could not say; ask again).
    /// </summary>
    Task<ProcessorOutcome> FindChargeAsync(Guid paymentId);

    /// <summary>
    /// Gives back (part of) what a charge took, keyed by our refund id: a repeat refunds once and answers
    /// Approved again. Declined means nothing was or will be paid for this refund; NoAnswer means ask again.
    /// </summary>
    Task<ProcessorOutcome> RefundAsync(Guid paymentId, Guid refundId, decimal amount, string currency);

    /// <summary>
    /// Gives back a whole charge that should not have been taken, keyed by the payment id (a repeat
    /// reverses once). Approved or NotFound (nothing was taken) confirm it; NoAnswer means ask again.
    /// </summary>
    Task<ProcessorOutcome> ReverseAsync(Guid paymentId, decimal amount, string currency);
}

/// <summary>
/// One charge request to the processor. The payment id is our reference, which the processor takes as
/// its idempotency key; the attempt is 1 for the first request of this payment, 2 for the next.
/// </summary>
public sealed record ProcessorCharge(Guid PaymentId, string CardNumber, decimal Amount, string Currency, int Attempt);

/// <summary>
/// What the processor said. Only a decline carries a reason; <see cref="NoAnswer"/> (an error or a
/// timeout) means what happened is unknown.
/// </summary>
public abstract record ProcessorOutcome
{
    private ProcessorOutcome()
    {
    }

    public sealed record Approved : ProcessorOutcome;

    /// <summary>Refused: nothing was or will be moved under this id. The reason is the processor's, when it gives one.</summary>
    public sealed record Declined(string? Reason) : ProcessorOutcome;

    /// <summary>No answer (an error or a timeout): what happened is unknown; ask again.</summary>
    public sealed record NoAnswer : ProcessorOutcome;

    /// <summary>The processor has no operation under this id.</summary>
    public sealed record NotFound : ProcessorOutcome;
}
