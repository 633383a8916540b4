using System.ComponentModel.DataAnnotations;
using Shop.PaymentApi.Model;

namespace Shop.PaymentApi.Contracts;

/// <summary>
/// A card as the customer typed it. The number must pass the Luhn check, the expiry must not have
/// passed, and the CVC is 3 or 4 digits. None of it is stored or logged.
/// </summary>
public sealed record CardDetails(
    [property: Required, CreditCard, MaxLength(23)] string Number,
    [property: Required, Range(1, 12)] int? ExpMonth,
    [property: Required, Range(2000, 2199)] int? ExpYear,
    [property: Required, RegularExpression("^[0-9]{3,4}$", ErrorMessage = "Use the 3 or 4 digits on the card.")] string Cvc,
    [property: Required, MaxLength(100)] string HolderName) : IValidatableObject
{
    public string Digits => string.Concat(Number.Where(char.IsAsciiDigit));

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var now = ((TimeProvider?)validationContext.GetService(typeof(TimeProvider)) ?? TimeProvider.System).GetUtcNow();
        if (ExpMonth is { } month and >= 1 and <= 12 && ExpYear is { } year && (year < now.Year || (year == now.Year && month < now.Month)))
        {
            yield return new ValidationResult("The card has expired.", [nameof(ExpMonth), nameof(ExpYear)]);
        }

        if (Digits.Length is < 12 or > 19)
        {
            yield return new ValidationResult("A card number has 12 to 19 digits.", [nameof(Number)]);
        }
    }
}

public sealed record ChargeRequest(
    [property: Required] Guid? OrderId,
    [property: Required, Amount] decimal? Amount,
    [property: Required, RegularExpression("^[A-Z]{3}$", ErrorMessage = "Use an ISO 4217 code such as EUR.")] string Currency,
    [property: Required] CardDetails Card);

public sealed record RefundRequest([property: Required, Amount] decimal? Amount);

/// <summary>Gives up charging an order: the payment, if any, is returned; otherwise none will ever be made.</summary>
public sealed record VoidRequest(
    [property: Required] Guid? OrderId,
    [property: Required, Amount] decimal? Amount,
    [property: Required, RegularExpression("^[A-Z]{3}$")] string Currency);

/// <summary>
/// A payment. RefundedAmount is what the processor has paid back; RefundPendingAmount what refunds not yet
/// confirmed have reserved. Reversal (Pending, Confirmed) is set when a charge approved after the payment
/// was given up is being, or has been, given back.
/// </summary>
public sealed record PaymentResponse(
    Guid Id, Guid OrderId, string Status, decimal Amount, string Currency, string? CardBrand, string? CardLast4, string? DeclineReason,
    decimal RefundedAmount, decimal RefundPendingAmount, string? Reversal, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>A refund: Completed (paid back), Pending (not confirmed yet; finished in the background) or Failed (refused, nothing paid).</summary>
public sealed record RefundResponse(Guid Id, Guid PaymentId, decimal Amount, string Status, decimal PaymentRefundedAmount, DateTimeOffset CreatedAt);

/// <summary>From 0.01 to 1,000,000 with at most two decimal places.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class AmountAttribute() : ValidationAttribute("Use an amount from 0.01 to 1000000 with at most two decimal places.")
{
    public override bool IsValid(object? value) =>
        value is not decimal amount || (amount is > 0m and <= 1_000_000m && decimal.Round(amount, 2) == amount);
}

public static class PaymentMappings
{
    public static PaymentResponse ToResponse(this Payment payment) => new(
        payment.Id, payment.OrderId, payment.Status.ToString(), payment.Amount, payment.Currency, payment.CardBrand, payment.CardLast4,
        payment.DeclineReason, payment.RefundedAmount, payment.RefundPendingAmount, payment.Reversal?.ToString(), payment.CreatedAt, payment.UpdatedAt);

    /// <summary>A refund with what its payment has had refunded so far.</summary>
    public static RefundResponse ToResponse(this Refund refund, Payment payment) =>
        new(refund.Id, refund.PaymentId, refund.Amount, refund.Status.ToString(), payment.RefundedAmount, refund.CreatedAt);
}
