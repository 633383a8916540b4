using Microsoft.AspNetCore.Http.HttpResults;
using Shop.CatalogApi.Contracts;
using Shop.CatalogApi.Model;
using Shop.CatalogApi.Services;
using Shop.ServiceDefaults.Authentication;

namespace Shop.CatalogApi.Apis;

/// <summary>
/// Stock held for orders; internal, for services only (order-api's checkout saga). Every call is
/// idempotent on the order id, so the callers' retries are safe.
/// </summary>
public static class ReservationsApi
{
    public static IEndpointRouteBuilder MapReservationsApi(this IEndpointRouteBuilder app)
    {
        var reservations = app.MapGroup("/api/reservations").WithTags("Reservations").RequireAuthorization(ShopPolicies.Service);
        reservations.MapPost("/", Reserve);
        reservations.MapGet("/{orderId:guid}", GetReservation);
        reservations.MapPost("/{orderId:guid}/commit", Commit);
        reservations.MapPost("/{orderId:guid}/release", Release);
        reservations.MapPost("/{orderId:guid}/return", Return);
        return app;
    }

    /// <summary>
    /// Reserves every line or none: 201 when created, 200 with the same reservation when replayed, 409
    /// naming the products short, or when the order already holds a different reservation.
    /// </summary>
    public static async Task<Results<Created<ReservationResponse>, Ok<ReservationResponse>, ValidationProblem, ProblemHttpResult>> Reserve(
        ReservationRequest request, ReservationService reservations, CancellationToken cancellationToken)
    {
        var lines = request.Lines;
        if (lines.Any(l => l is null))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [nameof(ReservationRequest.Lines)] = ["A line may not be null."] });
        }

        if (lines.Select(l => l.ProductId).Distinct().Count() != lines.Count)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [nameof(ReservationRequest.Lines)] = ["Each product may appear in one line only."] });
        }

        var orderId = request.OrderId!.Value;
        var result = await reservations.ReserveAsync(
            orderId,
            [.. lines.Select(l => new ReservationLine(l.ProductId!.Value, l.Quantity!.Value))],
            request.TtlSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
            cancellationToken);

        return result switch
        {
            ReserveResult.Created created => TypedResults.Created($"/api/reservations/{orderId}", created.Reservation.ToResponse()),
            ReserveResult.Replayed replayed => TypedResults.Ok(replayed.Reservation.ToResponse()),
            ReserveResult.DifferentRequest => TypedResults.Problem(
                title: "This order already holds a different reservation",
                detail: "A reservation is made once per order; release it before reserving other lines.",
                statusCode: StatusCodes.Status409Conflict),
            ReserveResult.Unavailable unavailable => TypedResults.Problem(
                title: "Insufficient stock",
                detail: "Not enough available: " + string.Join("; ", unavailable.Shortages.Select(s => $"{s.Name ?? s.ProductId.ToString()} ({s.Available} of {s.Requested})")),
                statusCode: StatusCodes.Status409Conflict,
                extensions: new Dictionary<string, object?> { ["shortages"] = unavailable.Shortages }),
            var other => throw new InvalidOperationException($"Unknown reservation result {other}."),
        };
    }

    public static async Task<Results<Ok<ReservationResponse>, NotFound>> GetReservation(Guid orderId, ReservationService reservations, CancellationToken cancellationToken) =>
        await reservations.FindAsync(orderId, cancellationToken) is { } reservation ? TypedResults.Ok(reservation.ToResponse()) : TypedResults.NotFound();

    /// <summary>Makes the deduction permanent. A reservation that expired or was released cannot be committed (409).</summary>
    public static async Task<Results<Ok<ReservationResponse>, NotFound, ProblemHttpResult>> Commit(Guid orderId, ReservationService reservations, CancellationToken cancellationToken) =>
        Respond(await reservations.CommitAsync(orderId, cancellationToken), "committed");

    /// <summary>Frees the units. A committed reservation cannot be released (409); return it instead.</summary>
    public static async Task<Results<Ok<ReservationResponse>, NotFound, ProblemHttpResult>> Release(Guid orderId, ReservationService reservations, CancellationToken cancellationToken) =>
        Respond(await reservations.ReleaseAsync(orderId, cancellationToken), "released");

    /// <summary>Puts a committed reservation's units back on hand (a cancelled, paid order).</summary>
    public static async Task<Results<Ok<ReservationResponse>, NotFound, ProblemHttpResult>> Return(Guid orderId, ReservationService reservations, CancellationToken cancellationToken) =>
        Respond(await reservations.ReturnAsync(orderId, cancellationToken), "returned");

    private static Results<Ok<ReservationResponse>, NotFound, ProblemHttpResult> Respond(TransitionResult result, string wanted) => result switch
    {
        TransitionResult.Done done => TypedResults.Ok(done.Reservation.ToResponse()),
        TransitionResult.Conflict conflict => TypedResults.Problem(
            title: $"The reservation cannot be {wanted}",
            detail: $"It is {conflict.Reservation.Status}.",
            statusCode: StatusCodes.Status409Conflict,
            extensions: new Dictionary<string, object?> { ["reservationStatus"] = conflict.Reservation.Status.ToString() }),
        _ => TypedResults.NotFound(),
    };
}
