using System.ComponentModel.DataAnnotations;

namespace Shop.OrderApi.Contracts;

public sealed record SetCartItemRequest([property: Required, Range(1, 99)] int? Quantity);

/// <summary>A cart line with the catalog's current price and availability; unknown or withdrawn products show as unavailable.</summary>
public sealed record CartItemResponse(
    Guid ProductId, string? Sku, string? Name, decimal? UnitPrice, int Quantity, decimal? LineTotal, int Available, bool CanBeOrdered);

public sealed record CartResponse(IReadOnlyList<CartItemResponse> Items, decimal Subtotal, string? Currency, bool CanCheckOut);
