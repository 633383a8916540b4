using JasperFx.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Shop.ServiceDefaults.Authentication;
using Wolverine.Persistence.Durability;
using Wolverine.Persistence.Durability.DeadLetterManagement;

namespace Shop.ServiceDefaults.Messaging;

/// <summary>A message whose handler kept failing, parked in this service's dead-letter table.</summary>
public sealed record DeadLetterResponse(
    Guid Id, string? MessageType, string? ExceptionType, string? ExceptionMessage, DateTimeOffset? SentAt, string? ReceivedAt, bool Replayable);

/// <summary>
/// The dead letters of a service that consumes events, for its administrators: list them, and replay one,
/// which hands it back to its handler (Wolverine's durability agent picks it up within a few seconds). A
/// replayed message runs the same idempotent handler, so replaying twice, or replaying a message whose
/// effect happened meanwhile, changes nothing more.
/// </summary>
public static class DeadLettersApi
{
    public const int MaxLimit = 100;

    public static IEndpointRouteBuilder MapDeadLettersApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/admin/dead-letters")
            .RequireAuthorization(ShopPolicies.Admin)
            .WithTags("Dead letters");
        group.MapGet("/", ListDeadLetters);
        group.MapPost("/{id:guid}/replay", ReplayDeadLetter);
        return app;
    }

    /// <summary>At most <paramref name="limit"/> dead letters.</summary>
    public static async Task<Results<Ok<IReadOnlyList<DeadLetterResponse>>, ValidationProblem>> ListDeadLetters(
        IMessageStore store, CancellationToken cancellationToken, int limit = 50)
    {
        // Checked here: the validation generator only sees endpoints mapped in the service's own assembly.
        if (limit is < 1 or > MaxLimit)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = [$"Use a limit from 1 to {MaxLimit}."] });
        }

        var page = await store.DeadLetters.QueryAsync(new DeadLetterEnvelopeQuery(TimeRange.AllTime()) { PageSize = limit }, cancellationToken);
        IReadOnlyList<DeadLetterResponse> letters = [.. page.Envelopes
            .Select(e => new DeadLetterResponse(e.Id, e.MessageType, e.ExceptionType, e.ExceptionMessage, e.SentAt, e.ReceivedAt, e.Replayable))];
        return TypedResults.Ok(letters);
    }

    /// <summary>202: handed back to its handler; 404: no such dead letter (never, or already replayed).</summary>
    public static async Task<Results<Accepted, NotFound>> ReplayDeadLetter(Guid id, IMessageStore store, CancellationToken cancellationToken)
    {
        if (await store.DeadLetters.DeadLetterEnvelopeByIdAsync(id) is null)
        {
            return TypedResults.NotFound();
        }

        await store.DeadLetters.ReplayAsync(new DeadLetterEnvelopeQuery([id]), cancellationToken);
        return TypedResults.Accepted((string?)null);
    }
}
