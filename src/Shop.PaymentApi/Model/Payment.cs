namespace Shop.PaymentApi.Model;

/// <summary>
/// A charge for an order. Only the card's brand and last four digits are ever kept: the full number and
/// the CVC never reach the database.
/// </summary>
public sealed class Payment
{
    // For EF Core materialization.
    private Payment()
    {
    }

    public Payment(Guid orderId, decimal amount, string currency, string cardBrand, string cardLast4, PaymentStatus status, string? declineReason, DateTimeOffset now)
    {
        Id = Guid.CreateVersion7(now);
        OrderId = orderId;
        Amount = amount;
        Currency = currency;
        CardBrand = cardBrand;
        CardLast4 = cardLast4;
        Status = status;
        DeclineReason = declineReason;
        CreatedAt = now;
    }

    public Guid Id { get; private set; }

    public Guid OrderId { get; private set; }

    public decimal Amount { get; private set; }

    public string Currency { get; private set; } = null!;

    public string CardBrand { get; private set; } = null!;

    public string CardLast4 { get; private set; } = null!;

    public PaymentStatus Status { get; private set; }

    public string? DeclineReason { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }
}
