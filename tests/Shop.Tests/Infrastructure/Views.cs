using System.Text.Json.Serialization;

namespace Shop.Tests.Infrastructure;

// The bodies the services answer, as a client reads them. They mirror the wire format of each service's
// Contracts/ (camelCase JSON, enums as strings) and are kept here, not shared with src, so that a change
// of the wire format breaks a test instead of silently following the server.

// catalog-api
public sealed record CategoryView(Guid Id, string Name, string Slug, Guid? ParentId);

public sealed record ProductSummaryView(
    Guid Id, string Sku, string Name, string Slug, string Brand, Guid CategoryId, decimal Price, string Currency,
    string? ImageUrl, int Available, bool IsActive);

public sealed record ProductPageView(IReadOnlyList<ProductSummaryView> Items, string? NextCursor);

public sealed record ProductView(
    Guid Id, string Sku, string Name, string Slug, string Description, string Brand, CategoryView Category,
    decimal Price, string Currency, IReadOnlyList<string> ImageUrls, bool IsActive, int Available, int UnitsSold,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed record DeadLetterView(
    Guid Id, string? MessageType, string? ExceptionType, string? ExceptionMessage, DateTimeOffset? SentAt, string? ReceivedAt, bool Replayable);

public sealed record StockView(Guid ProductId, int OnHand, int Reserved, int Available);

public sealed record StockAdjustmentView(Guid Id, int OnHandBefore, int OnHandAfter, string Reason, Guid AdjustedBy, DateTimeOffset AdjustedAt);

public sealed record ReservationLineView(Guid ProductId, int Quantity);

public sealed record ReservationView(Guid OrderId, string Status, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, IReadOnlyList<ReservationLineView> Lines);

public sealed record ShortageView(Guid ProductId, string? Sku, string? Name, int Requested, int Available);

// order-api
public sealed record CartItemView(
    Guid ProductId, string? Sku, string? Name, decimal? UnitPrice, int Quantity, decimal? LineTotal, int? Available, bool CanBeOrdered);

public sealed record CartView(IReadOnlyList<CartItemView> Items, decimal Subtotal, string? Currency, bool CanCheckOut, bool AvailabilityKnown);

public sealed record ShippingAddressView(
    string RecipientName, string Line1, string? Line2, string City, string? Region, string PostalCode, string Country, string? Phone);

public sealed record OrderLineView(Guid ProductId, string Sku, string Name, decimal UnitPrice, int Quantity, decimal LineTotal);

public sealed record OrderView(
    Guid Id, Guid CustomerId, string Status, bool InProgress, IReadOnlyList<OrderLineView> Lines, decimal Total, string Currency,
    ShippingAddressView ShippingAddress, string? CardBrand, string? CardLast4, string? FailureReason,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? PaidAt, DateTimeOffset? ShippedAt, DateTimeOffset? CancelledAt,
    decimal RefundedAmount);

public sealed record OrderPageView(IReadOnlyList<OrderView> Items, string? NextCursor);

// payment-api
public sealed record PaymentView(
    Guid Id, Guid OrderId, string Status, decimal Amount, string Currency, string? CardBrand, string? CardLast4, string? DeclineReason,
    decimal RefundedAmount, decimal RefundPendingAmount, string? Reversal, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed record RefundView(Guid Id, Guid PaymentId, decimal Amount, string Status, decimal PaymentRefundedAmount, DateTimeOffset CreatedAt);

// user-api
public sealed record UserProfileView(Guid Id, string Email, string DisplayName, IReadOnlyList<string> Roles, DateTimeOffset CreatedAt);

public sealed record UserPageView(IReadOnlyList<UserProfileView> Items, string? NextCursor);

public sealed record AddressView(
    Guid Id, string? Label, string RecipientName, string Line1, string? Line2, string City, string? Region,
    string PostalCode, string Country, string? Phone, bool IsDefault, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed record TokenPairView(string AccessToken, string RefreshToken, int ExpiresIn, string TokenType);

/// <summary>The client-credentials answer, named as RFC 6749 section 5.1 names it.</summary>
public sealed record ServiceTokenView(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("expires_in")] int ExpiresIn,
    [property: JsonPropertyName("token_type")] string TokenType);

public sealed record SigningKeyRotatedView(string KeyId, DateTimeOffset ActivatesAt);

/// <summary>
/// An RFC 9457 problem with the extensions tests look at: field errors of a validation problem, the order a
/// refused checkout placed, the shortages of a refused reservation and the state of one that cannot change,
/// the payment a failed charge made, the OAuth error code of a refused token request, and what a cart line holds when
/// an addition to it was refused.
/// </summary>
public sealed record Problem(
    string? Type, string? Title, int? Status, string? Detail, string? Instance,
    IReadOnlyDictionary<string, string[]>? Errors,
    Guid? OrderId, string? OrderStatus, IReadOnlyList<ShortageView>? Shortages, string? ReservationStatus, Guid? PaymentId, string? Error,
    int? Held, string? TraceId)
{
    /// <summary>The fields a validation problem names; none for any other problem.</summary>
    public IEnumerable<string> ErrorFields => Errors?.Keys ?? [];
}
