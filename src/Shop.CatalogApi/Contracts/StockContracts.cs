using System.ComponentModel.DataAnnotations;
using Shop.CatalogApi.Model;

namespace Shop.CatalogApi.Contracts;

public sealed record StockLevel(Guid ProductId, int OnHand, int Reserved, int Available);

public sealed record SetStockRequest(
    [property: Required, Range(0, 1_000_000)] int? OnHand,
    [property: Required, MaxLength(StockAdjustment.ReasonMaxLength)] string Reason);

public sealed record AdjustStockRequest(
    [property: Required, Range(-1_000_000, 1_000_000)] int? Delta,
    [property: Required, MaxLength(StockAdjustment.ReasonMaxLength)] string Reason);

public sealed record StockAdjustmentResponse(Guid Id, int OnHandBefore, int OnHandAfter, string Reason, Guid AdjustedBy, DateTimeOffset AdjustedAt);
