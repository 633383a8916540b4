using System.ComponentModel.DataAnnotations;

namespace Shop.OrderApi.Contracts;

/// <summary>What one cart line may hold.</summary>
public static class CartLimits
{
    public const int MaxQuantity = 99;
}

/// <summary>How many of the product the cart holds from now on.</summary>
public sealed record SetCartItemRequest([property: Required, Range(1, CartLimits.MaxQuantity)] int? Quantity);

/// <summary>How many of the product to put into the cart on top of what it holds.</summary>
public sealed record AddCartItemRequest([property: Required] Guid? ProductId, [property: Required, Range(1, CartLimits.MaxQuantity)] int? Quantity);

/// <summary>
/// A cart line with the product's current price, and its stock when the catalog could be asked (<c>Available</c>
/// null when it could not). Withdrawn products cannot be ordered; a product order-api has never heard of, while the
/// catalog is away, shows without name or price.
/// </summary>
public sealed record CartItemResponse(
    Guid ProductId, string? Sku, string? Name, decimal? UnitPrice, int Quantity, decimal? LineTotal, int? Available, bool CanBeOrdered);

/// <summary>
/// The cart. <c>CanCheckOut</c> is as far as order-api knows: with <c>AvailabilityKnown</c> false (the catalog did
/// not answer) the stock was not checked, and checkout itself asks the catalog again.
/// </summary>
public sealed record CartResponse(IReadOnlyList<CartItemResponse> Items, decimal Subtotal, string? Currency, bool CanCheckOut, bool AvailabilityKnown);
