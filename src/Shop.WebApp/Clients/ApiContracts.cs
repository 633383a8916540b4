namespace Shop.WebApp.Clients;

// The web app's view of the APIs' JSON: its own records, not the services' assemblies, so each side deploys on its
// own. Only the fields a page uses are here; unknown fields are ignored when read.

public sealed record Category(Guid Id, string Name, string Slug, Guid? ParentId);

public sealed record ProductSummary(
    Guid Id, string Sku, string Name, string Slug, string Brand, Guid CategoryId, decimal Price, string Currency,
    string? ImageUrl, int Available, bool IsActive);

public sealed record ProductPage(IReadOnlyList<ProductSummary> Items, string? NextCursor);

public sealed record Product(
    Guid Id, string Sku, string Name, string Slug, string Description, string Brand, Category Category,
    decimal Price, string Currency, IReadOnlyList<string> ImageUrls, bool IsActive, int Available, int UnitsSold);

public sealed record ProductUpdate(
    string Sku, string Name, string? Slug, string? Description, string Brand, Guid? CategoryId, decimal? Price, IReadOnlyList<string>? ImageUrls);

public sealed record StockLevel(Guid ProductId, int OnHand, int Reserved, int Available);

public sealed record CartItem(
    Guid ProductId, string? Sku, string? Name, decimal? UnitPrice, int Quantity, decimal? LineTotal, int? Available, bool CanBeOrdered);

public sealed record Cart(IReadOnlyList<CartItem> Items, decimal Subtotal, string? Currency, bool CanCheckOut, bool AvailabilityKnown)
{
    public static readonly Cart Empty = new([], 0m, null, false, true);

    public int Count => Items.Sum(i => i.Quantity);
}

public sealed record AddressInput(
    string RecipientName, string Line1, string? Line2, string City, string? Region, string PostalCode, string Country, string? Phone);

public sealed record PaymentCard(string Number, int? ExpMonth, int? ExpYear, string Cvc, string HolderName);

public sealed record CheckoutRequest(AddressInput? ShippingAddress, Guid? AddressId, PaymentCard Payment);

public sealed record OrderLine(Guid ProductId, string Sku, string Name, decimal UnitPrice, int Quantity, decimal LineTotal);

public sealed record ShippingAddress(
    string RecipientName, string Line1, string? Line2, string City, string? Region, string PostalCode, string Country, string? Phone);

public sealed record Order(
    Guid Id, Guid CustomerId, string Status, bool InProgress, IReadOnlyList<OrderLine> Lines, decimal Total, string Currency,
    ShippingAddress ShippingAddress, string? CardBrand, string? CardLast4, string? FailureReason,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? PaidAt, DateTimeOffset? ShippedAt, DateTimeOffset? CancelledAt,
    decimal RefundedAmount)
{
    /// <summary>Whether the order can still change by itself or by an administrator: the order page keeps watching it.</summary>
    public bool CanChange => InProgress || Status is OrderStatuses.Pending or OrderStatuses.Paid or OrderStatuses.Shipped;

    public bool CanBeCancelled => !InProgress && Status == OrderStatuses.Paid;
}

public static class OrderStatuses
{
    public const string Pending = "Pending";
    public const string Paid = "Paid";
    public const string Shipped = "Shipped";
    public const string Rejected = "Rejected";
    public const string PaymentFailed = "PaymentFailed";
    public const string Cancelled = "Cancelled";
    public const string Refunded = "Refunded";
}

public sealed record OrderPage(IReadOnlyList<Order> Items, string? NextCursor);

public sealed record TokenPair(string AccessToken, string RefreshToken, int ExpiresIn);

public sealed record UserProfile(Guid Id, string Email, string DisplayName, IReadOnlyList<string> Roles);

public sealed record Address(
    Guid Id, string? Label, string RecipientName, string Line1, string? Line2, string City, string? Region,
    string PostalCode, string Country, string? Phone, bool IsDefault);

public sealed record AddressRequest(
    string? Label, string RecipientName, string Line1, string? Line2, string City, string? Region, string PostalCode, string Country, string? Phone);
