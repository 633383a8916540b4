namespace Shop.PaymentApi.Model;

/// <summary>
/// The one payment of an order (the order id is unique, so no order can be charged twice, whatever the
/// idempotency keys). Only the card's brand and last four digits are kept: the full number and the CVC
/// never reach the database or the logs.
/// </summary>
public sealed class Payment
{
    // For EF Core materialization.
    private Payment()
    {
    }

    private Payment(Guid orderId, decimal amount, string currency, string? cardBrand, string? cardLast4, PaymentStatus status, DateTimeOffset now)
    {
        Id = Guid.CreateVersion7(now);
        OrderId = orderId;
        Amount = amount;
        Currency = currency;
        CardBrand = cardBrand;
        CardLast4 = cardLast4;
        Status = status;
        CreatedAt = now;
        UpdatedAt = now;
    }

    public Guid Id { get; private set; }

    public Guid OrderId { get; private set; }

    public decimal Amount { get; private set; }

    public string Currency { get; private set; } = null!;

    public string? CardBrand { get; private set; }

    public string? CardLast4 { get; private set; }

    public PaymentStatus Status { get; private set; }

    public string? DeclineReason { get; private set; }

    /// <summary>How many times the processor was asked to charge.</summary>
    public int ProcessorAttempts { get; private set; }

    /// <summary>What the processor has paid back.</summary>
    public decimal RefundedAmount { get; private set; }

    /// <summary>Refunds recorded but not yet confirmed by the processor: reserved, so no new refund can take them.</summary>
    public decimal RefundPendingAmount { get; private set; }

    /// <summary>
    /// Set when the processor approved the charge after the payment had been given up (Voided): the money
    /// was taken for an order that moved on, so the charge is reversed, retried until the processor confirms.
    /// </summary>
    public ReversalStatus? Reversal { get; private set; }

    /// <summary>When the reversal may next be asked of the processor (a lease for whoever is asking now).</summary>
    public DateTimeOffset? ReversalNextAttemptAt { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public uint Version { get; private set; }

    public static Payment StartCharge(Guid orderId, decimal amount, string currency, string cardBrand, string cardLast4, DateTimeOffset now) =>
        new(orderId, amount, currency, cardBrand, cardLast4, PaymentStatus.Processing, now);

    /// <summary>A tombstone for an order that gave up: a later charge for it finds this and takes nothing.</summary>
    public static Payment Void(Guid orderId, decimal amount, string currency, DateTimeOffset now) =>
        new(orderId, amount, currency, null, null, PaymentStatus.Voided, now);
}

/// <summary>
/// A refund is recorded Pending (its amount reserved on the payment) before the processor is asked, and
/// its id is the processor's idempotency key: however often it is asked (a retry, the recovery after a
/// crash), it pays out once.
/// </summary>
public sealed class Refund
{
    // For EF Core materialization.
    private Refund()
    {
    }

    public Refund(Guid id, Guid paymentId, decimal amount, DateTimeOffset now, DateTimeOffset nextAttemptAt)
    {
        Id = id;
        PaymentId = paymentId;
        Amount = amount;
        Status = RefundStatus.Pending;
        CreatedAt = now;
        NextAttemptAt = nextAttemptAt;
    }

    public Guid Id { get; private set; }

    public Guid PaymentId { get; private set; }

    public decimal Amount { get; private set; }

    public RefundStatus Status { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>When the recovery may ask the processor about a Pending refund (a lease for whoever asks now).</summary>
    public DateTimeOffset NextAttemptAt { get; private set; }

    public DateTimeOffset? CompletedAt { get; private set; }
}
