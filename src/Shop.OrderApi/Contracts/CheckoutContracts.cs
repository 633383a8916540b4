using System.ComponentModel.DataAnnotations;
using Shop.OrderApi.Model;

namespace Shop.OrderApi.Contracts;

/// <summary>
/// Places an order from the cart. Ship to an address of the caller's address book (addressId) or to
/// one given here (shippingAddress), exactly one of the two. Prices come from the catalog, never from
/// the client. The card is passed to payment-api and never stored.
/// </summary>
public sealed record CheckoutRequest(
    AddressInput? ShippingAddress,
    Guid? AddressId,
    [property: Required] PaymentCard Payment) : IValidatableObject
{
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if ((ShippingAddress is null) == (AddressId is null))
        {
            yield return new ValidationResult("Give either shippingAddress or addressId.", [nameof(ShippingAddress), nameof(AddressId)]);
        }
    }
}

public sealed record AddressInput(
    [property: Required, MaxLength(100)] string RecipientName,
    [property: Required, MaxLength(200)] string Line1,
    [property: MaxLength(200)] string? Line2,
    [property: Required, MaxLength(100)] string City,
    [property: MaxLength(100)] string? Region,
    [property: Required, MaxLength(20)] string PostalCode,
    [property: Required, RegularExpression("^[A-Za-z]{2}$", ErrorMessage = "Use the two-letter ISO 3166 country code, such as DE or US.")] string Country,
    [property: MaxLength(30), RegularExpression(@"^\+?[0-9 ()\-]{4,30}$", ErrorMessage = "Use digits, spaces, ( ) - and an optional leading +.")] string? Phone)
{
    public ShippingAddress ToShippingAddress() =>
        new(RecipientName.Trim(), Line1.Trim(), Clean(Line2), City.Trim(), Clean(Region), PostalCode.Trim(), Country.Trim().ToUpperInvariant(), Clean(Phone));

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

/// <summary>
/// Checked here as payment-api checks it (Luhn, expiry, CVC), so that a mistyped card is a 400 before
/// any stock is reserved.
/// </summary>
public sealed record PaymentCard(
    [property: Required, CreditCard, MaxLength(23)] string Number,
    [property: Required, Range(1, 12)] int? ExpMonth,
    [property: Required, Range(2000, 2199)] int? ExpYear,
    [property: Required, RegularExpression("^[0-9]{3,4}$", ErrorMessage = "Use the 3 or 4 digits on the card.")] string Cvc,
    [property: Required, MaxLength(100)] string HolderName) : IValidatableObject
{
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var now = ((TimeProvider?)validationContext.GetService(typeof(TimeProvider)) ?? TimeProvider.System).GetUtcNow();
        if (ExpMonth is { } month and >= 1 and <= 12 && ExpYear is { } year && (year < now.Year || (year == now.Year && month < now.Month)))
        {
            yield return new ValidationResult("The card has expired.", [nameof(ExpMonth), nameof(ExpYear)]);
        }

        if (Number is not null && Number.Count(char.IsAsciiDigit) is < 12 or > 19)
        {
            yield return new ValidationResult("A card number has 12 to 19 digits.", [nameof(Number)]);
        }
    }
}
