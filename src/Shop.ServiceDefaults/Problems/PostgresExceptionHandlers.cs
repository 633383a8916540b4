using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Npgsql;

namespace Shop.ServiceDefaults.Problems;

/// <summary>
/// Postgres cannot store U+0000 in text (SQLSTATE 22021). Bodies are checked when read (see
/// <see cref="NoNulCharacterStringConverter"/>); a NUL in a query string or route value is caught here,
/// when Postgres refuses it, and is a 400 rather than a 500.
/// </summary>
internal sealed class UnstorableTextExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public static bool Matches(Exception exception) =>
        ProblemResponse.Any(exception, e => e is PostgresException { SqlState: PostgresErrorCodes.CharacterNotInRepertoire });

    public ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken) =>
        Matches(exception)
            ? ProblemResponse.WriteAsync(problems, httpContext, exception, StatusCodes.Status400BadRequest, title: null, "Text may not contain the NUL character (\\u0000).")
            : ValueTask.FromResult(false);
}

/// <summary>
/// The service's own database could not be reached or is shutting down (connection refused or broken, a
/// timeout, Postgres restarting: Npgsql calls these transient, and EF Core wraps them once its retries are
/// spent). A 503 with Retry-After, like a peer that is down, rather than a 500.
/// </summary>
internal sealed class DatabaseUnavailableExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken) =>
        ProblemResponse.Any(exception, e => e is NpgsqlException { IsTransient: true } or PostgresException { SqlState: "57P01" or "57P02" or "57P03" })
            ? ProblemResponse.WriteAsync(problems, httpContext, exception, StatusCodes.Status503ServiceUnavailable,
                "The service's database is unavailable", "Try again shortly.", retryLater: true)
            : ValueTask.FromResult(false);
}

/// <summary>Refuses strings with a NUL character in request bodies: Postgres cannot store them.</summary>
internal sealed class NoNulCharacterStringConverter : JsonConverter<string>
{
    public override bool HandleNull => false;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var value = reader.GetString();
        return value is not null && value.Contains('\0')
            ? throw new JsonException("Text may not contain the NUL character (\\u0000).")
            : value;
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}
