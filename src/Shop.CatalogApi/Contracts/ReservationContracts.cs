using System.ComponentModel.DataAnnotations;
using Shop.CatalogApi.Model;

namespace Shop.CatalogApi.Contracts;

public sealed record ReservationLineRequest(
    [property: Required] Guid? ProductId,
    [property: Required, Range(1, 1000)] int? Quantity);

/// <summary>Units to hold for an order; all lines or none. Replaying the same request returns the same reservation.</summary>
public sealed record ReservationRequest(
    [property: Required] Guid? OrderId,
    [property: Required, MinLength(1), MaxLength(100)] IReadOnlyList<ReservationLineRequest> Lines,
    [property: Range(1, 86_400)] int? TtlSeconds);

public sealed record ReservationLineResponse(Guid ProductId, int Quantity);

public sealed record ReservationResponse(Guid OrderId, string Status, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, IReadOnlyList<ReservationLineResponse> Lines);

/// <summary>A product that could not be reserved: how many were asked for and how many are available.</summary>
public sealed record Shortage(Guid ProductId, string? Sku, string? Name, int Requested, int Available);

public static class ReservationMappings
{
    public static ReservationResponse ToResponse(this Reservation reservation) => new(
        reservation.OrderId,
        reservation.Status.ToString(),
        reservation.CreatedAt,
        reservation.ExpiresAt,
        [.. reservation.Lines.OrderBy(l => l.ProductId).Select(l => new ReservationLineResponse(l.ProductId, l.Quantity))]);
}
