using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;

namespace Shop.ServiceDefaults.Paging;

/// <summary>
/// The query parameters of a list keyset-paged by id (<see cref="IdCursor"/>): bind it with
/// <c>[AsParameters]</c> and the service's <c>AddValidation()</c> answers a limit out of range or a cursor this
/// API did not issue with a 400 naming the parameter, before the handler runs.
/// </summary>
/// <remarks>
/// The checks are in <see cref="Validate"/> rather than attributes because minimal-API validation keys an
/// attribute's error by the C# property name ("Limit"); clients send, and our errors name, "limit".
/// [FromQuery] keeps that name in the OpenAPI document too.
/// </remarks>
public sealed record IdPageRequest(
    [FromQuery(Name = IdPageRequest.LimitParameter)] int? Limit = null,
    [FromQuery(Name = IdPageRequest.CursorParameter)] string? Cursor = null) : IValidatableObject
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;
    private const string LimitParameter = "limit";
    private const string CursorParameter = "cursor";

    /// <summary>How many items the page holds at most.</summary>
    public int PageSize => Limit ?? DefaultPageSize;

    /// <summary>The id the previous page ended with; null for the first page.</summary>
    public Guid? LastId => Cursor is null ? null
        : IdCursor.TryDecode(Cursor, out var lastId) ? lastId
        : throw new InvalidOperationException("The cursor was not validated: does the service call AddValidation()?");

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (PageSize is < 1 or > MaxPageSize)
        {
            yield return new ValidationResult($"Use a limit from 1 to {MaxPageSize}.", [LimitParameter]);
        }

        if (Cursor is not null && !IdCursor.TryDecode(Cursor, out _))
        {
            yield return new ValidationResult("The cursor is not one this API issued.", [CursorParameter]);
        }
    }
}
